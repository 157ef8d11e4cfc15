using System.Globalization;
using System.Text.Json;
using KernelRegression.Evidence;
using KernelRegression.Logs;
using KernelRegression.Evidence.Report;
using KernelRegression.Judging;

namespace KernelRegression.Bisect;

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
}
