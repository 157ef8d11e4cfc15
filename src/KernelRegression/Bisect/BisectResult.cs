using KernelRegression.Cells;
using KernelRegression.Judging;

namespace KernelRegression.Bisect;

/// <summary>One probe as run: the value, its verdict (and why a skip), the cause when bad, and where its evidence is.</summary>
public sealed record BisectStep(int Number, ProbeKind Kind, int Index, BisectCandidate Candidate, ProbeVerdict Verdict, string? Cause,
    string EvidenceFolder, TimeSpan Duration, CellResult? Result, string? SkipReason = null)
{
    public bool Bad => Verdict.IsBad();
}

/// <summary>A finished bisection: every step, the culprit, and what changed to make it bad.</summary>
public sealed record BisectResult(BisectAxis Axis, IReadOnlyList<BisectCandidate> Candidates, BisectTrace Trace,
    IReadOnlyList<BisectStep> Steps, IReadOnlyList<string> Diff, TimeSpan Elapsed)
{
    public BisectCandidate LastGood => Candidates[Trace.LastGood];
    public BisectCandidate Culprit => Candidates[Trace.FirstBad];
    public BisectStep CulpritStep => Steps.Last(s => s.Index == Trace.FirstBad);
}
