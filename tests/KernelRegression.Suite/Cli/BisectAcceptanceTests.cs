using System.Diagnostics;
using KernelRegression.Bisect;

namespace KernelRegression.Suite.Cli;

/// <summary>
/// kr bisect finds the incident's culprit among the six ordered launch profiles
/// of fixtures/profiles/history (image bookworm-pre-pr233, hub trixie), on the docker tier, with the
/// checks kr bisect runs by default (kernel-starts, stays-alive over 5 s). What is counted: the two
/// end checks (01 must pass, 06 must fail) are separate; the search between them must take at most
/// 3 steps (ceil(log2(5)) for the 5 positions the first bad can be in). This runs the same library
/// code as `kr bisect profile history --image bookworm-pre-pr233`, in-process.
/// </summary>
public sealed class BisectAcceptanceTests(DockerFixture tier)
{
    [Fact(Timeout = 1_800_000)]
    public async Task BisectFindsTheIncidentsLaunchProfileChangeInAtMostThreeSearchSteps()
    {
        // Given the deployment's profile history, the pre-fix kernel image and the trixie hub
        var ct = TestContext.Current.CancellationToken;
        _ = tier.Tier; // skips (or fails, under KR_REQUIRE_TIER=docker) without a Docker engine
        await using var run = Run.Start(); // a run of its own: its teardown removes only its containers
        var request = new BisectRequest(BisectAxis.Profile, ["history"]) { Image = "bookworm-pre-pr233", Hub = "trixie" };
        var (candidates, good, bad) = await BisectCandidates.ResolveAsync(MatrixFile.Load(), request, run.Folder("bisect"), ct);
        candidates.Should().HaveCount(6);
        var checks = CheckCatalog.Resolve(["kernel-starts", "stays-alive"]);
        await using var docker = new DockerTier(run);
        var output = Path.Combine(FixturePaths.Root, "..", "artifacts", "bisect", run.Id);
        var sw = Stopwatch.StartNew();

        // When
        var result = await new BisectRunner(docker, checks, new CheckOptions { AliveWindow = TimeSpan.FromSeconds(5) }, output, s => TestContext.Current.SendDiagnosticMessage(
            $"step {s.Number} ({s.Kind}) {s.Candidate.Value}: {s.Verdict} in {s.Duration.TotalSeconds:0.0} s; {s.SkipReason ?? s.Cause}")).RunAsync(request.Axis, candidates, good, bad, ct);

        // Then
        TestContext.Current.AddAttachment("bisect.md", BisectReport.Markdown(run.Id, result));
        result.Culprit.Profile.Name.Should().Be("history-05-spawner-cmd");
        result.LastGood.Profile.Name.Should().Be("history-04-working-dir");
        result.Trace.SearchSteps.Should().BeLessThanOrEqualTo(3, "six ordered values with verified ends leave five positions: ceil(log2 5) = 3");
        result.Steps.Should().HaveCount(2 + result.Trace.SearchSteps);
        result.CulpritStep.Cause.Should().Contain("while the server, its parent, is PID 1", "the known failure, not another, from its mechanism");
        result.Diff.Should().Equal("command: null → [jupyterhub-singleuser, --ip=0.0.0.0, --port=8888]");
        result.Steps.Should().OnlyContain(s => Directory.Exists(s.EvidenceFolder));
        TestContext.Current.SendDiagnosticMessage($"bisect: {result.Steps.Count} steps ({result.Trace.SearchSteps} search) in {sw.Elapsed.TotalSeconds:0} s");
    }
}
