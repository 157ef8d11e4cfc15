using System.Globalization;
using System.Text.Json;
using KernelRegression.Diagnosis;
using KernelRegression.Judging;
using KernelRegression.Tiers;

namespace KernelRegression.Reports;

/// <summary>
/// Writes a run's folder: report.md (what a CI job posts), report.html (the one-look report),
/// report.json, and per cell its evidence as files (facts, protocol timeline, logs, process tree,
/// step timings, attachments such as screenshots, and for a failed cell its diagnosis). Text is made
/// from the typed evidence only here. Everything written passes through <see cref="Secrets.Redact"/>.
/// </summary>
public static class RunReport
{
    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true };

    public static string Write(string folder, string runId, string tier, IReadOnlyList<CellReport> cells, TimeSpan elapsed,
        IReadOnlyList<CapabilityRow>? capabilities = null)
    {
        Directory.CreateDirectory(folder);
        var run = new RunView(runId, tier, cells, elapsed, Diagnostician.Run(cells), capabilities ?? []);
        foreach (var cell in cells)
        {
            var dir = Path.Combine(folder, Safe(cell.Result.CellId));
            Directory.CreateDirectory(dir);
            foreach (var (name, text) in EvidenceFiles.Of(cell.Result.Evidence))
            {
                WriteRedacted(Path.Combine(dir, name), text);
            }
            foreach (var a in cell.Result.Evidence.Attachments.Where(a => a.FilePath is not null && File.Exists(a.FilePath)))
            {
                File.Copy(a.FilePath!, Path.Combine(dir, a.Name), overwrite: true);
            }
            WriteRedacted(Path.Combine(dir, "checks.txt"), string.Join('\n', cell.Judgement.Checks.Select(c =>
                $"{c.Check}\t{c.VerdictLabel}\t{c.Duration.TotalMilliseconds.ToString("0", CultureInfo.InvariantCulture)} ms\t{c.Cause ?? c.Detail}")));
            if (run.Diagnoses.TryGetValue(cell.Result.CellId, out var diagnosis))
            {
                WriteRedacted(Path.Combine(dir, "diagnosis.txt"), diagnosis.Text());
            }
        }
        var md = Secrets.Redact(MarkdownSummary.Render(run));
        File.WriteAllText(Path.Combine(folder, "report.md"), md);
        WriteRedacted(Path.Combine(folder, "report.html"), HtmlReport.Render(run));
        WriteRedacted(Path.Combine(folder, "report.json"), Json(run));
        return md;
    }

    public static string Summary(IReadOnlyList<CellReport> cells) => Outcomes.Summary(cells.Select(c => c.Outcome));

    /// <summary>The evidence folder name of a cell, relative to the run folder (reports link to it).</summary>
    public static string Safe(string cellId) => cellId.Replace('/', '_');

    private static void WriteRedacted(string path, string text) => File.WriteAllText(path, Secrets.Redact(text));

    private static string Json(RunView run) => JsonSerializer.Serialize(new
    {
        run = run.RunId, tier = run.Tier, elapsedSeconds = run.Elapsed.TotalSeconds,
        capabilities = run.Capabilities.Select(c => new { name = c.Capability.Name, offered = c.Offered, whyNot = c.WhyNot }),
        cells = run.Cells.Select(c => new
        {
            id = c.Result.CellId, outcome = c.Outcome.Name(), why = c.Judgement.Why, cause = c.OneLineCause,
            expected = c.Expected.ExpectFailure ? new { reason = c.Expected.Reason, link = c.Expected.Link, causeContains = c.Expected.CauseContains } : null,
            evidence = Safe(c.Result.CellId),
            checks = c.Judgement.Checks.Select(k => new { k.Check, verdict = k.Verdict.ToString(), ms = k.Duration.TotalMilliseconds, k.Cause, k.Detail }),
            timings = c.Result.Evidence.Steps.Select(t => new { step = t.Step, ms = t.Duration.TotalMilliseconds }),
            // Each budgeted step against its limit, and where its time went: what a dashboard graphs.
            steps = c.Result.Latency?.Steps.Select(v => new
            {
                step = v.Step.Name, ms = v.Measured.TotalMilliseconds, limitMs = v.Limit?.TotalMilliseconds, v.Over, v.Mode, v.Why,
                slowerThanUsual = c.Result.Latency.SlowerThanUsual.FirstOrDefault(f => f.Step == v.Step) is { } f
                    ? new { medianMs = f.Median.TotalMilliseconds, runs = f.Runs } : null,
            }),
            notApplied = c.Result.Evidence.NotApplied.Select(n => new { key = n.Key, why = n.Why }),
            diagnosis = run.Diagnoses.GetValueOrDefault(c.Result.CellId) is { } d
                ? new { comparedWith = d.ComparedWith, items = d.Items.Select(i => new { i.Rank, i.Kind, i.Key, i.Failing, i.Passing, i.Why }) }
                : null,
        }),
    }, Indented);
}
