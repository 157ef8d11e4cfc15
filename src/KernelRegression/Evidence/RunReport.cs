using System.Text.Json;
using KernelRegression.Checks;
using KernelRegression.Evidence.Diagnosis;
using KernelRegression.Evidence.Report;

namespace KernelRegression.Evidence;

/// <summary>A cell's result beside what the matrix expected of it.</summary>
public sealed record CellReport(CellResult Result, bool ExpectedToFail, string? ExpectedReason)
{
    /// <summary>
    /// passed, failed, expected-failure, unexpected-pass (a known-bad cell that now passes), or
    /// skipped (no check ran: a capability the tier lacks, said with its reason, never a pass).
    /// </summary>
    public string Outcome => (Result.Passed, ExpectedToFail) switch
    {
        _ when Skipped => "skipped",
        (true, false) => "passed",
        (false, false) => "failed",
        (false, true) => "expected-failure",
        (true, true) => "unexpected-pass",
    };

    public bool Skipped => Result.Checks.Count > 0 && Result.Checks.All(c => c.Verdict == Verdict.Skipped);

    /// <summary>The skip reason, the failure's cause, or the matrix's reason to expect a failure.</summary>
    public string? OneLineCause => Skipped ? Result.Checks[0].Cause : Result.Cause ?? (ExpectedToFail ? $"expected to fail: {ExpectedReason}" : null);

    public bool MetExpectation => Outcome is "passed" or "expected-failure" or "skipped";
}

/// <summary>
/// Writes a run's folder: report.md (what a CI job posts), report.html (the one-look report),
/// report.json, and per cell the evidence (facts, protocol timeline, logs, step timings, and for a
/// failed cell its diagnosis). Everything written passes through <see cref="Secrets.Redact"/>.
/// </summary>
public static class RunReport
{
    public static string Write(string folder, string runId, string tier, IReadOnlyList<CellReport> cells, TimeSpan elapsed)
    {
        Directory.CreateDirectory(folder);
        var run = new RunView(runId, tier, cells, elapsed, Diagnostician.Run(cells));
        foreach (var cell in cells)
        {
            var dir = Path.Combine(folder, Safe(cell.Result.CellId));
            Directory.CreateDirectory(dir);
            foreach (var (name, text) in cell.Result.Evidence)
            {
                WriteRedacted(Path.Combine(dir, name + ".txt"), text);
            }
            WriteRedacted(Path.Combine(dir, "timings.txt"),
                string.Join('\n', cell.Result.Timings.Select(t => $"{t.Step}\t{t.Duration.TotalMilliseconds:0.0} ms")));
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

    public static string Summary(IReadOnlyList<CellReport> cells) =>
        $"{cells.Count(c => c.Outcome == "passed")} passed, {cells.Count(c => c.Outcome == "failed")} failed, " +
        $"{cells.Count(c => c.Outcome == "expected-failure")} expected failures, {cells.Count(c => c.Outcome == "unexpected-pass")} unexpected passes" +
        (cells.Any(c => c.Skipped) ? $", {cells.Count(c => c.Skipped)} skipped" : "");

    /// <summary>The evidence folder name of a cell, relative to the run folder (reports link to it).</summary>
    public static string Safe(string cellId) => cellId.Replace('/', '_');

    private static void WriteRedacted(string path, string text) => File.WriteAllText(path, Secrets.Redact(text));

    private static string Json(RunView run) => JsonSerializer.Serialize(new
    {
        run = run.RunId, tier = run.Tier, elapsedSeconds = run.Elapsed.TotalSeconds,
        cells = run.Cells.Select(c => new
        {
            id = c.Result.CellId, outcome = c.Outcome, cause = c.Result.Cause, expected = c.ExpectedReason, evidence = Safe(c.Result.CellId),
            checks = c.Result.Checks.Select(k => new { k.Check, verdict = k.Verdict.ToString(), ms = k.Duration.TotalMilliseconds, k.Cause, k.Detail }),
            timings = c.Result.Timings.Select(t => new { step = t.Step, ms = t.Duration.TotalMilliseconds }),
            diagnosis = run.Diagnoses.GetValueOrDefault(c.Result.CellId) is { } d
                ? new { comparedWith = d.ComparedWith, items = d.Items.Select(i => new { i.Rank, i.Kind, i.Key, i.Failing, i.Passing, i.Why }) }
                : null,
        }),
    }, new JsonSerializerOptions { WriteIndented = true });
}
