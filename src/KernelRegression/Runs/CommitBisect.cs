using System.Diagnostics;
using KernelRegression.Deployments;
using KernelRegression.Judging;
using KernelRegression.Bisect;

namespace KernelRegression.Runs;

/// <summary>
/// `kr bisect commits`: the first commit of a deployment repository whose values break a cell, in log2
/// steps after both ends are verified. Each step reads the values at its commit (git show, never the
/// caller's work tree), runs their cells on the docker tier, and is judged by the judge's one rule for
/// probes (<see cref="ProbeJudge"/>, the same as the other bisects); a commit whose values do not parse
/// has no verdict and says so, like `git bisect skip`.
/// </summary>
public sealed class CommitBisect(DeploymentRuns runs, GitValuesHistory git, IReadOnlyList<string> paths, ValuesOptions options, string folder,
    Action<CommitStep>? onStep = null, Action<string>? progress = null)
{
    private readonly Dictionary<int, DeploymentValues> _values = [];
    private readonly ProbeJudge _judge = new();

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
            return Step(ProbeJudge.NoProbe($"its values do not parse: {e.What.Split('\n')[0]}"));
        }
        _values[index] = values;
        var run = await runs.RunAsync(values, dir, progress ?? (_ => { }), ct);
        return Step(_judge.Decide(kind == ProbeKind.BadEnd, run.Cells));

        CommitStep Step(ProbeJudgement j) => new(number, kind, commit, j.Verdict, j.Deciding?.Result.CellId, j.Cause, j.Why, dir, sw.Elapsed);
    }
}
