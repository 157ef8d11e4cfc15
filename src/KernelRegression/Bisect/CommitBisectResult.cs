using KernelRegression.Deployments;
using KernelRegression.Judging;

namespace KernelRegression.Bisect;

/// <summary>One commit as probed: its verdict (and why a skip), the failing cell and its cause, and where its reports are.</summary>
public sealed record CommitStep(int Number, ProbeKind Kind, GitCommit Commit, ProbeVerdict Verdict, string? FailingCell, string? Cause, string? SkipReason,
    string Folder, TimeSpan Duration);

/// <summary>A finished bisection of a deployment repository: the first bad commit, what its launch changed, every step.</summary>
public sealed record CommitBisectResult(IReadOnlyList<GitCommit> Commits, BisectTrace Trace, IReadOnlyList<CommitStep> Steps,
    IReadOnlyList<CellChange> Changes, TimeSpan Elapsed)
{
    public GitCommit Culprit => Commits[Trace.FirstBad];
    public GitCommit LastGood => Commits[Trace.LastGood];
    public CommitStep CulpritStep => Steps.Last(s => s.Commit == Culprit && s.Verdict.IsBad());
}
