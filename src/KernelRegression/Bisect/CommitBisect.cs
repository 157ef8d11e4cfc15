using System.Diagnostics;
using KernelRegression.Deployments;
using KernelRegression.Judging;

namespace KernelRegression.Bisect;

/// <summary>One commit as probed: its verdict (and why a skip), the failing cell and its cause, and where its reports are.</summary>
public sealed record CommitStep(int Number, ProbeKind Kind, GitCommit Commit, StepVerdict Verdict, string? FailingCell, string? Cause, string? SkipReason,
    string Folder, TimeSpan Duration);

/// <summary>A finished bisection of a deployment repository: the first bad commit, what its launch changed, every step.</summary>
public sealed record CommitBisectResult(IReadOnlyList<GitCommit> Commits, BisectTrace Trace, IReadOnlyList<CommitStep> Steps,
    IReadOnlyList<CellChange> Changes, TimeSpan Elapsed)
{
    public GitCommit Culprit => Commits[Trace.FirstBad];
    public GitCommit LastGood => Commits[Trace.LastGood];
    public CommitStep CulpritStep => Steps.Last(s => s.Commit == Culprit && s.Verdict == StepVerdict.Bad);
}

/// <summary>
/// `kr bisect commits`: the first commit of a deployment repository whose values break a cell, in log2
/// steps after both ends are verified. Each step reads the values at its commit (git show, never the
/// caller's work tree), runs their cells on the docker tier, and is judged: bad when a cell fails with the
/// bad end's kind of failure (<see cref="CauseSignature"/>); a commit whose values do not parse, or whose
/// run has a harness error or fails another way, is skipped and says so, like `git bisect skip`.
/// </summary>
public sealed class CommitBisect(DeploymentRuns runs, GitValuesHistory git, IReadOnlyList<string> paths, ValuesOptions options, string folder,
    Action<CommitStep>? onStep = null, Action<string>? progress = null)
{
    private readonly Dictionary<int, DeploymentValues> _values = [];
    private string? _badSignature;

    public async Task<CommitBisectResult> RunAsync(string good, string bad, CancellationToken ct)
    {
        var sw = Stopwatch.StartNew();
        var commits = await git.CommitsAsync(good, bad, ct, includeFrom: true);
        var steps = new List<CommitStep>();
        var trace = await Bisection.FirstBadAsync(commits.Count, 0, commits.Count - 1, async (i, kind, t) =>
        {
            var step = await ProbeAsync(steps.Count + 1, kind, i, commits[i], t);
            steps.Add(step);
            onStep?.Invoke(step);
            return step.Verdict;
        }, ct);
        var changes = _values.TryGetValue(trace.LastGood, out var before) && _values.TryGetValue(trace.FirstBad, out var after)
            ? LaunchDiff.Between(before.Cells, after.Cells)
            : [];
        return new CommitBisectResult(commits, trace, steps, changes, sw.Elapsed);
    }

    private async Task<CommitStep> ProbeAsync(int number, ProbeKind kind, int index, GitCommit commit, CancellationToken ct)
    {
        var sw = Stopwatch.StartNew();
        var dir = Path.Combine(folder, $"step-{number:00}-{kind.ToString().ToLowerInvariant()}-{commit.Hash[..10]}");
        DeploymentValues values;
        try
        {
            values = await git.LoadAsync(commit.Hash, paths, options with { Label = $"values-{commit.Hash[..8]}" }, ct);
        }
        catch (ValuesException e)
        {
            return new CommitStep(number, kind, commit, StepVerdict.Skip, null, null, $"its values do not parse: {e.What.Split('\n')[0]}", dir, sw.Elapsed);
        }
        _values[index] = values;
        var run = await runs.RunAsync(values, dir, progress ?? (_ => { }), ct);
        if (run.HarnessFailed)
        {
            return new CommitStep(number, kind, commit, StepVerdict.Skip, null, null,
                $"harness error: {run.Cells.First(c => c.Outcome == Outcome.HarnessError).Result.Cause}", dir, sw.Elapsed);
        }
        var failed = run.Failed.ToList();
        if (failed.Count == 0)
        {
            return new CommitStep(number, kind, commit, StepVerdict.Good, null, null, null, dir, sw.Elapsed);
        }
        if (kind == ProbeKind.BadEnd)
        {
            _badSignature = CauseSignature.Of(failed[0].Result.Cause);
        }
        var same = _badSignature is null ? failed[0] : failed.FirstOrDefault(f => CauseSignature.Of(f.Result.Cause) == _badSignature);
        return same is not null
            ? new CommitStep(number, kind, commit, StepVerdict.Bad, same.Result.CellId, same.Result.Cause, null, dir, sw.Elapsed)
            : new CommitStep(number, kind, commit, StepVerdict.Skip, failed[0].Result.CellId, failed[0].Result.Cause,
                $"failed for another reason ({failed[0].Result.Cause}), not the bad end's failure", dir, sw.Elapsed);
    }
}
