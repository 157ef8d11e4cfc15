using System.Diagnostics;
using KernelRegression.Checks;
using KernelRegression.Evidence;
using KernelRegression.Logs;
using KernelRegression.Tiers.Docker;

namespace KernelRegression.Bisect;

/// <summary>One probe as run: the value, its verdict, the cause when bad, and where its evidence is.</summary>
public sealed record BisectStep(int Number, ProbeKind Kind, int Index, BisectCandidate Candidate, bool Bad, string? Cause,
    string EvidenceFolder, TimeSpan Duration, CellResult Result);

/// <summary>A finished bisection: every step, the culprit, and what changed to make it bad.</summary>
public sealed record BisectResult(BisectAxis Axis, IReadOnlyList<BisectCandidate> Candidates, BisectTrace Trace,
    IReadOnlyList<BisectStep> Steps, IReadOnlyList<string> Diff, TimeSpan Elapsed)
{
    public BisectCandidate LastGood => Candidates[Trace.LastGood];
    public BisectCandidate Culprit => Candidates[Trace.FirstBad];
    public BisectStep CulpritStep => Steps.Last(s => s.Index == Trace.FirstBad);
}

/// <summary>
/// Runs a bisection on the docker tier: each probe is one cell (the candidate's hub, image and
/// launch profile) run through <see cref="CellRunner"/> with the chosen checks; a cell that fails
/// any check is bad. Hubs and images are made once per run and shared by the steps.
/// </summary>
public sealed class BisectRunner(DockerMatrixRun docker, string outputFolder, Action<BisectStep>? onStep = null)
{
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
            return step.Bad;
        }, ct);
        var result = new BisectResult(axis, candidates, trace, steps,
            CandidateDiff.Between(axis, candidates[trace.LastGood], candidates[trace.FirstBad]), sw.Elapsed);
        BisectReport.Write(outputFolder, docker.Run.Id, result);
        return result;
    }

    private async Task<BisectStep> ProbeAsync(int number, ProbeKind kind, int index, BisectCandidate c, CancellationToken ct)
    {
        var sw = Stopwatch.StartNew();
        var cellId = $"docker/hub-{c.Hub.Name}/img-{c.Image.Name}/profile-{c.Profile.Name}";
        string image;
        Tiers.Docker.DockerHub hub;
        try
        {
            image = await docker.Images.SingleUserAsync(c.Image, ct);
            hub = await docker.HubAsync(c.Hub, ct);
        }
        catch (HarnessException e)
        {
            // Not a verdict on the value: the step could not even be stood up (image build, hub start).
            throw new HarnessException($"bisect step {number} ({c.Label}) could not be stood up, so it has no verdict: {e.What}", e.Fix, e);
        }
        var result = await Deadline.RunAsync($"bisect step {number} ({c.Label})", StepDeadline,
            t => CellRunner.RunAsync(cellId, hub, docker.Selection, t, hub.UserOptions(image, c.Profile)), () => "checks still running", ct);
        var folder = Path.Combine(outputFolder, $"step-{number:00}-{kind.ToString().ToLowerInvariant()}-{Safe(c.Value)}");
        RunReport.Write(folder, docker.Run.Id, "docker", [new CellReport(result, false, null)], sw.Elapsed);
        return new BisectStep(number, kind, index, c, !result.Passed, result.Cause, folder, sw.Elapsed, result);
    }

    private static string Safe(string value)
    {
        var name = Path.GetFileNameWithoutExtension(value.TrimEnd('/'));
        var chars = (string.IsNullOrEmpty(name) ? value : name).Select(ch => char.IsLetterOrDigit(ch) || ch is '-' or '.' ? ch : '_').ToArray();
        return new string(chars);
    }
}
