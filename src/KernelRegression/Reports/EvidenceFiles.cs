using System.Globalization;
using System.Text;
using KernelRegression.Evidence;

namespace KernelRegression.Reports;

/// <summary>A cell's typed evidence as the text files of its evidence folder (name → content), in the order a reader wants them.</summary>
public static class EvidenceFiles
{
    public static IEnumerable<(string Name, string Text)> Of(CellEvidence e)
    {
        yield return ("facts.txt", Render(e.Facts()));
        if (e.NotApplied.Count > 0)
        {
            yield return ("not-applied.txt", string.Join('\n', e.NotApplied.Select(n => $"{n.Key}: {n.Why}")) + "\n");
        }
        yield return ("timeline.txt", string.Join('\n', e.Timeline));
        yield return ("timings.txt", string.Join('\n', e.Steps.Select(t => $"{t.Step}\t{t.Duration.TotalMilliseconds.ToString("0.0", CultureInfo.InvariantCulture)} ms")));
        if (e.KernelProcesses.Count > 0)
        {
            yield return ("kernel-processes.txt", string.Join('\n', e.KernelProcesses));
        }
        if (e.Control is { } control)
        {
            yield return ("control.txt", control.Render());
        }
        if (e.Browser is { } browser)
        {
            yield return ("browser.txt", browser.Render());
        }
        if (e.Server.Processes is { } tree)
        {
            yield return ("process-tree.txt", tree.Render());
        }
        if (e.Server.Environment.Count > 0)
        {
            yield return ("environment.txt", string.Join('\n', e.Server.Environment.Select(v => $"{v.Key}={v.Value}")));
        }
        if (e.Server.Events.Count > 0)
        {
            yield return ("events.txt", string.Join('\n', e.Server.Events));
        }
        yield return ("server-log.txt", string.Join('\n', e.ServerLog));
        yield return ("hub-log.txt", string.Join('\n', e.HubLog));
        foreach (var a in e.Attachments.Where(a => a.Text is not null))
        {
            yield return (a.Name, a.Text!);
        }
    }

    /// <summary>The names only (reports link to them).</summary>
    public static IEnumerable<string> Names(CellEvidence e) =>
        Of(e).Select(f => f.Name).Concat(e.Attachments.Where(a => a.FilePath is not null).Select(a => a.Name)).Append("checks.txt");

    public static string Render(IEnumerable<(string Key, string Value)> facts)
    {
        var sb = new StringBuilder();
        foreach (var (k, v) in facts)
        {
            sb.Append(k).Append('=').Append(v.Replace('\n', ' ')).Append('\n');
        }
        return sb.ToString();
    }
}
