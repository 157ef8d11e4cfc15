using KernelRegression.Deployments;
using KernelRegression.Judging;

namespace KernelRegression.Reports;

/// <summary>`kr check-change`'s report.md: each cell at the change's base and head, what got worse and why, what the tier could not apply.</summary>
public static class ChangeReport
{
    public static void Write(string folder, ChangeCheck change, GitCommit @base, GitCommit head) =>
        File.WriteAllText(Path.Combine(folder, "report.md"), Secrets.Redact(Markdown(change, @base, head)));

    public static string Markdown(ChangeCheck change, GitCommit @base, GitCommit head)
    {
        var worse = change.Worse.ToList();
        var lines = new List<string>
        {
            $"# Kernel check of a change: {(worse.Count == 0 ? "nothing got worse" : $"{worse.Count} cell(s) broken")}",
            "",
            $"Base `{@base.Hash[..10]}` {@base.Subject}; head `{head.Hash[..10]}` {head.Subject}.",
            "",
            "| cell | base | head | cause at the head |",
            "|---|---|---|---|",
        };
        lines.AddRange(change.Cells.Select(c =>
            $"| {(c.Worse ? "❌ " : "")}`{c.Key}` | {c.Base?.Outcome.Label() ?? "–"} | {c.Head?.Outcome.Label() ?? "–"} | {ReportText.Inline(c.Head?.OneLineCause)} |"));
        var notApplied = change.Head.Cells.SelectMany(c => c.Result.Evidence.NotApplied).Select(n => n.ToString()).Distinct().ToList();
        if (notApplied.Count > 0)
        {
            lines.Add("");
            lines.Add("Not applied on docker: " + string.Join("; ", notApplied));
        }
        lines.Add("");
        lines.Add("Each side's full report: [base/report.html](base/report.html), [head/report.html](head/report.html).");
        return string.Join('\n', lines) + "\n";
    }
}
