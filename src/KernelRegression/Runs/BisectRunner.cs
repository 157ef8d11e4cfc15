using System.Diagnostics;
using KernelRegression.Checks;
using KernelRegression.Judging;
using KernelRegression.Matrix;
using KernelRegression.Tiers;
using KernelRegression.Tiers.Docker;
using KernelRegression.Bisect;
using KernelRegression.Cells;
using KernelRegression.Reports;

namespace KernelRegression.Runs;

/// <summary>
/// Runs a bisection on the docker tier: each probe is one cell (the candidate's hub, image and
/// launch profile) run through <see cref="CellRunner"/> with the chosen checks, as a cell expected to
/// pass, and judged by the judge's one rule for probes (<see cref="ProbeJudge"/>, the same as
/// `kr bisect commits`). Hubs and images are made once per run and shared by the steps.
/// </summary>
public sealed class BisectRunner(DockerTier docker, IReadOnlyList<ICheck> checks, CheckOptions options, string outputFolder, Action<BisectStep>? onStep = null)
{
    private readonly ProbeJudge _judge = new();

    /// <summary>One step's checks' deadline (image build and hub start come before, under their own deadlines).</summary>
    public static TimeSpan StepDeadline => Deadline.Of(300);

    public async Task<BisectResult> RunAsync(BisectAxis axis, IReadOnlyList<BisectCandidate> candidates, int good, int bad, CancellationToken ct)
    {
        var sw = Stopwatch.StartNew();
        var steps = new List<BisectStep>();
        var trace = await Bisection.FirstBadAsync(candidates.Count, good, bad, async (i, kind, t) =>
        {
            var step = await ProbeAsync(steps.Count + 1, kind, i, candidates[i], t);
            steps.Add(step);
            onStep?.Invoke(step);
            return step.Verdict;
        }, ct);
        var result = new BisectResult(axis, candidates, trace, steps,
            CandidateDiff.Between(axis, candidates[trace.LastGood], candidates[trace.FirstBad]), sw.Elapsed);
        BisectReport.Write(outputFolder, docker.Run.Id, result);
        return result;
    }

    private async Task<BisectStep> ProbeAsync(int number, ProbeKind kind, int index, BisectCandidate c, CancellationToken ct)
    {
        var sw = Stopwatch.StartNew();
        var folder = Path.Combine(outputFolder, $"step-{number:00}-{kind.ToString().ToLowerInvariant()}-{Safe(c.Value)}");
        if (c.Unusable is { } why)
        {
            return Step(ProbeJudge.NoProbe(why), null);
        }
        var cell = new MatrixCell(TierName.Docker, c.Hub, c.Image, c.Profile.Name, "healthy", Expectation.Pass) { Checks = [.. checks.Select(k => k.Name)] };
        CellDeployment deployment;
        try
        {
            var image = await docker.Images.SingleUserAsync(c.Image, ct);
            var hub = await docker.HubAsync(c.Hub, ct);
            deployment = new CellDeployment(hub, hub.UserOptions(image, c.Profile), image, c.Profile, null) { NotApplied = c.NotApplied };
        }
        catch (Exception e) when (e is not OperationCanceledException || !ct.IsCancellationRequested)
        {
            // Not a verdict on the value: the step could not even be stood up (image build, hub start).
            return Step(ProbeJudge.NoProbe($"harness error: {(e is ActionableException h ? h.What : e.Message).Split('\n')[0]}"), null);
        }
        var result = await Deadline.RunAsync($"bisect step {number} ({c.Label})", StepDeadline,
            t => CellRunner.RunAsync(cell, deployment, checks, options, t), () => "checks still running", ct);
        var report = new CellReport(result);
        RunReport.Write(folder, docker.Run.Id, "docker", [report], sw.Elapsed);
        return Step(_judge.Decide(kind == ProbeKind.BadEnd, [report]), result);

        BisectStep Step(ProbeJudgement j, CellResult? r) => new(number, kind, index, c, j.Verdict, j.Cause, folder, sw.Elapsed, r, j.Why);
    }

    private static string Safe(string value)
    {
        var name = Path.GetFileNameWithoutExtension(value.TrimEnd('/'));
        var chars = (string.IsNullOrEmpty(name) ? value : name).Select(ch => char.IsLetterOrDigit(ch) || ch is '-' or '.' ? ch : '_').ToArray();
        return new string(chars);
    }
}
