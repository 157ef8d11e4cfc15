using System.Text;
using System.Text.Json.Nodes;
using KernelRegression.Jupyter;
using KernelRegression.Students;

namespace KernelRegression.Checks;

/// <summary>One code cell of a notebook run: what the notebook expected, what the kernel produced.</summary>
public sealed record CellOutcome(int Index, string Source, string Expected, string Actual, bool Matches, ExecutionResult Result);

/// <summary>What a notebook run saw, cell by cell.</summary>
public sealed record NotebookEvidence(string Notebook, string SessionId, IReadOnlyList<CellOutcome> Cells)
{
    public IEnumerable<CellOutcome> Mismatches => Cells.Where(c => !c.Matches);
}

/// <summary>
/// Runs a real notebook the way a student does: upload it, open a session on it, run each code cell
/// in order and compare the outputs saved in the notebook (stream text, text/plain results, error names)
/// with what the kernel produces.
/// </summary>
public static class NotebookRun
{
    public static async Task<NotebookEvidence> RunAsync(Student student, string notebookPath, CancellationToken ct)
    {
        var notebook = JsonNode.Parse(await File.ReadAllTextAsync(notebookPath, ct))
            ?? throw new FormatException($"{notebookPath} is not JSON");
        var name = Path.GetFileName(notebookPath);
        await student.Server.PutNotebookAsync(name, notebook, ct);
        var (sessionId, model) = await student.Timings.TimeAsync("session-start", () => student.Server.CreateSessionAsync(name, "python3", ct));
        var log = student.Deployment.ServerLog(student.Name, student.ServerName);
        await using var kernel = await KernelConnection.OpenAsync(student.Server, model.Id, log, log.Count, ct);
        await student.Timings.TimeAsync("kernel-ready", () => kernel.KernelInfoAsync(Deadline.Of(30), ct));

        var outcomes = new List<CellOutcome>();
        var cells = notebook["cells"] as JsonArray ?? [];
        for (var i = 0; i < cells.Count; i++)
        {
            if (cells[i]?["cell_type"]?.ToString() != "code")
            {
                continue;
            }
            var source = Text(cells[i]!["source"]);
            var expected = Expected(cells[i]!["outputs"] as JsonArray ?? []);
            // A cell saved with an error is meant to raise; it must not abort the cells after it.
            var result = await KernelChecks.ExecutesAsync(student, kernel, source, ct, meantToFail: expected.Contains("error: ", StringComparison.Ordinal));
            var actual = Actual(result);
            outcomes.Add(new CellOutcome(i, source, expected, actual, expected == actual, result));
        }
        await student.Server.DeleteSessionAsync(sessionId, ct);
        return new NotebookEvidence(name, sessionId, outcomes);
    }

    private static string Expected(JsonArray outputs)
    {
        var sb = new StringBuilder();
        foreach (var o in outputs)
        {
            switch (o?["output_type"]?.ToString())
            {
                case "stream": sb.Append(o["name"]).Append(": ").Append(Text(o["text"])); break;
                case "execute_result": sb.Append("result: ").Append(Text(o["data"]?["text/plain"])).Append('\n'); break;
                case "display_data": sb.Append("display: ").Append(Text(o["data"]?["text/plain"])).Append('\n'); break;
                case "error": sb.Append("error: ").Append(o["ename"]).Append('\n'); break;
            }
        }
        return sb.ToString();
    }

    private static string Actual(ExecutionResult r)
    {
        var sb = new StringBuilder();
        foreach (var o in r.Outputs)
        {
            switch (o.MsgType)
            {
                case "stream": sb.Append(o.ContentString("name")).Append(": ").Append(o.ContentString("text")); break;
                case "execute_result": sb.Append("result: ").Append(Text(o.Content["data"]?["text/plain"])).Append('\n'); break;
                case "display_data": sb.Append("display: ").Append(Text(o.Content["data"]?["text/plain"])).Append('\n'); break;
                case "error": sb.Append("error: ").Append(o.ContentString("ename")).Append('\n'); break;
            }
        }
        return sb.ToString();
    }

    /// <summary>nbformat multiline strings are a string or a list of lines.</summary>
    private static string Text(JsonNode? n) => n switch
    {
        JsonArray a => string.Concat(a.Select(x => x?.ToString())),
        null => "",
        _ => n.ToString(),
    };
}
