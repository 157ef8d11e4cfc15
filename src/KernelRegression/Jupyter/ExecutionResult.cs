using System.Text;
using System.Text.Json.Nodes;

namespace KernelRegression.Jupyter;

/// <summary>An error output of a cell: exception name, value and the traceback lines.</summary>
public sealed record KernelError(string Name, string Value, IReadOnlyList<string> Traceback)
{
    /// <summary>The traceback without IPython's terminal colours.</summary>
    public string PlainTraceback => Logs.CauseFinder.StripAnsi(string.Join('\n', Traceback));
}

/// <summary>Everything one execute_request produced, gathered by parent msg_id.</summary>
public sealed class ExecutionResult
{
    public required string MsgId { get; init; }
    public required string Code { get; init; }
    public string Status { get; internal set; } = "";
    public int? ExecutionCount { get; internal set; }
    public TimeSpan Duration { get; internal set; }
    public List<KernelMessage> Outputs { get; } = [];

    public string Stdout => Streams("stdout");
    public string Stderr => Streams("stderr");

    /// <summary>text/plain of the execute_result, if the cell ended in an expression.</summary>
    public string? Result => Outputs.Where(o => o.MsgType == "execute_result")
        .Select(o => o.Content["data"]?["text/plain"]?.ToString()).LastOrDefault();

    public IReadOnlyList<JsonObject> DisplayData => Outputs.Where(o => o.MsgType == "display_data")
        .Select(o => o.Content["data"] as JsonObject ?? new JsonObject()).ToList();

    public KernelError? Error => Outputs.Where(o => o.MsgType == "error")
        .Select(o => new KernelError(
            o.ContentString("ename") ?? "",
            o.ContentString("evalue") ?? "",
            (o.Content["traceback"] as JsonArray)?.Select(t => t?.ToString() ?? "").ToList() ?? []))
        .LastOrDefault();

    private string Streams(string name) => Outputs
        .Where(o => o.MsgType == "stream" && o.ContentString("name") == name)
        .Aggregate(new StringBuilder(), (sb, o) => sb.Append(o.ContentString("text"))).ToString();

    public override string ToString() =>
        $"status={Status} result={Result ?? "-"} stdout={Stdout.Trim()} stderr={Stderr.Trim()} error={Error?.Name ?? "-"} ({Duration.TotalMilliseconds:0} ms)";
}
