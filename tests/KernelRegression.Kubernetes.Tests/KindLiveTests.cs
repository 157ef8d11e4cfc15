using KernelRegression.Checks;
using KernelRegression.Faults;
using KernelRegression.Matrix;
using KernelRegression.Runs;
using KernelRegression.Kubernetes.Commands;

namespace KernelRegression.Kubernetes.Tests;

/// <summary>
/// The kind tier for real: cluster, chart, KubeSpawner, the standard checks. Skips naming the missing
/// prerequisite; fails instead when KR_REQUIRE_TIER contains kind (CI). Cells: KR_CELLS (default: one).
/// </summary>
public sealed class KindLiveTests
{
    public static TheoryData<string> KindCells()
    {
        var filter = Environment.GetEnvironmentVariable("KR_CELLS");
        var m = Cells.Matrix;
        var all = (from hub in m.Document.Hubs.Where(h => h.Value.Chart is not null).Select(h => h.Key)
                   from image in new[] { "bookworm", "sid" }
                   select m.Cell("kind", hub, image, "default")).ToList();
        var chosen = string.IsNullOrWhiteSpace(filter) ? all.Take(1).ToList() : MatrixFile.Narrow(all, filter);
        return new TheoryData<string>(chosen.Select(c => c.Id));
    }

    [Theory]
    [MemberData(nameof(KindCells))]
    public async Task KernelsStartStayAliveAndExecuteOnKind(string cellId)
    {
        var ct = TestContext.Current.CancellationToken;
        await RequireAsync("kind", ct, Cells.Matrix.Hub(cellId.Split('/')[1]["hub-".Length..]).NodeImage!);
        var parts = cellId.Split('/');
        var cell = Cells.Matrix.Cell("kind", parts[1]["hub-".Length..], parts[2]["img-".Length..], parts[3]["profile-".Length..]);
        var profile = LaunchProfile.Resolve(cell.Profile);

        await using var run = Run.Start();
        await using var hub = await KubernetesHubBuilder.StartKindAsync(cell, profile, run, ct);
        var result = await CellRunner.RunAsync(cell, new Tiers.CellDeployment(hub, null, null, profile, null), CheckCatalog.Resolve(cell.Checks), CheckOptions.Default, ct);
        var report = new Judging.CellReport(result);
        if (!report.MetExpectation)
        {
            TestContext.Current.AddAttachment("cluster-evidence", await hub.EvidenceAsync(ct));
        }

        report.MetExpectation.Should().BeTrue(report.Judgement.Why);
    }

    /// <summary>The Kubernetes tier's faults: a SIGKILLed kernel comes back; a deleted user pod is noticed and a new spawn works.</summary>
    [Fact]
    public async Task AKilledKernelComesBackAndADeletedUserPodIsRespawnedOnKind()
    {
        var ct = TestContext.Current.CancellationToken;
        var cell = Cells.Matrix.Cell("kind", "z2jh-4", "bookworm", "default");
        await RequireAsync("kind", ct, Cells.Matrix.Hub("z2jh-4").NodeImage!);

        await using var run = Run.Start();
        await using var hub = await KubernetesHubBuilder.StartKindAsync(cell, LaunchProfile.Resolve(cell.Profile), run, ct);
        await using var student = await Student.SpawnAsync(hub, ct);
        await using var kernel = await student.StartKernelAsync(ct);
        var killed = await FaultChecks.KillKernelAsync(student, kernel, hub, ct);
        var deleted = await FaultChecks.KillServerAsync(student, hub, ct);

        killed.After.Should().Be("'back'");
        // singleuser.storage is "none" in the rendered values: the home does not outlive its pod here.
        deleted.After.Should().StartWith("'respawned'");
    }

    /// <summary>Skips with the exact missing prerequisite, unless the tier is required (then it fails).</summary>
    internal static async Task RequireAsync(string tier, CancellationToken ct, string nodeImage)
    {
        try
        {
            var runner = CliCommandRunner.Instance;
            await Prerequisites.ProgramAsync(runner, "docker", ct);
            await Prerequisites.ProgramAsync(runner, "kind", ct);
            await Prerequisites.ProgramAsync(runner, "helm", ct);
            await Prerequisites.NodeImageAsync(runner, nodeImage, Deadline.Of(20), ct);
        }
        catch (MissingPrerequisiteException e) when (!Prerequisites.Required(tier))
        {
            Assert.Skip($"the {tier} tier needs: {e.What} (fix: {e.Fix}); set KR_REQUIRE_TIER={tier} to make this a failure");
        }
    }
}
