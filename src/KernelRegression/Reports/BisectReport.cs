using System.Globalization;
using System.Text.Json;
using KernelRegression.Judging;
using KernelRegression.Bisect;

namespace KernelRegression.Reports;

/// <summary>Writes bisect.md and bisect.json beside the steps' evidence folders.</summary>
public static class BisectReport
{
    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true };

    public static void Write(string folder, string runId, BisectResult r)
    {
        Directory.CreateDirectory(folder);
        File.WriteAllText(Path.Combine(folder, "bisect.md"), Secrets.Redact(Markdown(runId, r)));
        File.WriteAllText(Path.Combine(folder, "bisect.json"), Secrets.Redact(JsonSerializer.Serialize(new
        {
            run = runId,
            axis = r.Axis.ToString().ToLowerInvariant(),
            values = r.Candidates.Select(c => c.Label),
            lastGood = r.LastGood.Label,
            firstBad = r.Culprit.Label,
            searchSteps = r.Trace.SearchSteps,
            endSteps = r.Steps.Count - r.Trace.SearchSteps,
            elapsedSeconds = r.Elapsed.TotalSeconds,
            diff = r.Diff,
            steps = r.Steps.Select(s => new
            {
                s.Number, kind = s.Kind.ToString(), value = s.Candidate.Label, verdict = s.Verdict.Label(),
                s.Cause, skipReason = s.SkipReason, seconds = s.Duration.TotalSeconds, evidence = s.EvidenceFolder,
            }),
        }, Indented)));
    }

    public static string Markdown(string runId, BisectResult r)
    {
        var sb = ReportText.MarkdownHeader($"Bisect {runId}: first bad {r.Axis.ToString().ToLowerInvariant()} is {r.Culprit.Label}", string.Create(CultureInfo.InvariantCulture,
            $"{r.Candidates.Count} values; ends verified in 2 steps, then {r.Trace.SearchSteps} search steps (at most {Bisection.MaxSearchSteps(r.Trace.Probes[0].Index, r.Trace.Probes[1].Index)}); {r.Elapsed.TotalSeconds:0} s."));
        sb.AppendLine("| step | kind | value | verdict | cause | time | evidence |");
        sb.AppendLine("|---|---|---|---|---|---|---|");
        foreach (var s in r.Steps)
        {
            sb.AppendLine(CultureInfo.InvariantCulture,
                $"| {s.Number} | {s.Kind} | {s.Candidate.Label} | {s.Verdict.Label()} | {ReportText.Inline(s.SkipReason ?? s.Cause)} | {s.Duration.TotalSeconds:0.0} s | {Path.GetFileName(s.EvidenceFolder)} |");
        }
        sb.AppendLine();
        sb.AppendLine(CultureInfo.InvariantCulture, $"## What changed from {r.LastGood.Label} to {r.Culprit.Label}");
        sb.AppendLine();
        foreach (var d in r.Diff.DefaultIfEmpty("(no launch field differs: the change is outside what the axis describes)"))
        {
            sb.AppendLine(CultureInfo.InvariantCulture, $"- {d}");
        }
        return sb.ToString();
    }

    /// <summary>
    /// `kr bisect commits`: bisect.md and bisect.json beside the steps' report folders; returns the summary's lines
    /// (the first bad commit, the last good, the cause, the steps, what the commit changed in the launch), as the console shows them.
    /// </summary>
    public static IReadOnlyList<string> WriteCommits(string folder, string runId, CommitBisectResult result)
    {
        var culprit = result.Culprit;
        var lines = new List<string>
        {
            $"first bad commit: {culprit.Hash} {culprit.Subject} ({culprit.Date:yyyy-MM-dd HH:mm})",
            $"last good commit: {result.LastGood.Hash} {result.LastGood.Subject}",
            $"cause ({result.CulpritStep.FailingCell}): {result.CulpritStep.Cause}",
            $"{result.Trace.SearchSteps} search steps after the 2 end checks, {result.Elapsed.TotalSeconds:0} s in all",
            "what the commit changed in the launch:",
        };
        lines.AddRange(result.Changes.Where(c => c.Changes.Count > 0 || c.Before is null || c.After is null).Select(c => "  " + c)
            .DefaultIfEmpty("  (no launch setting differs: the change is outside what the cells run)"));
        if (result.Trace.Ambiguous)
        {
            lines.Insert(1, $"ambiguous: skipped commits lie between the last good and the first bad: {string.Join(", ", result.Trace.Skipped.Where(i => i > result.Trace.LastGood && i < result.Trace.FirstBad).Select(i => result.Commits[i].Hash[..10]))}");
        }
        Directory.CreateDirectory(folder);
        var md = "# kr bisect commits\n\n" + string.Join('\n', lines.Select(l => l.StartsWith("  ", StringComparison.Ordinal) ? "    " + l.Trim() : "- " + l)) + "\n";
        File.WriteAllText(Path.Combine(folder, "bisect.md"), Secrets.Redact(md));
        File.WriteAllText(Path.Combine(folder, "bisect.json"), Secrets.Redact(JsonSerializer.Serialize(new
        {
            run = runId,
            axis = "commit",
            firstBad = new { hash = culprit.Hash, subject = culprit.Subject },
            lastGood = new { hash = result.LastGood.Hash, subject = result.LastGood.Subject },
            cause = result.CulpritStep.Cause,
            failingCell = result.CulpritStep.FailingCell,
            searchSteps = result.Trace.SearchSteps,
            endSteps = result.Steps.Count - result.Trace.SearchSteps,
            elapsedSeconds = result.Elapsed.TotalSeconds,
            changes = result.Changes.Select(c => c.ToString()),
            steps = result.Steps.Select(s => new
            {
                s.Number, kind = s.Kind.ToString(), commit = s.Commit.Hash, subject = s.Commit.Subject, verdict = s.Verdict.Label(),
                s.FailingCell, s.Cause, skipReason = s.SkipReason, seconds = s.Duration.TotalSeconds, folder = s.Folder,
            }),
        }, Indented)));
        return lines;
    }
}
