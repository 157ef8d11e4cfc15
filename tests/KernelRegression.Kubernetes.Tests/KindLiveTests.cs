using KernelRegression.Fixtures.Checks;
using KernelRegression.Fixtures.Matrix;
using KernelRegression.Fixtures.Runs;
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
        var result = await CellRunner.RunAsync(cell.Id, hub, CheckSelection.Default, ct);
        if (!result.Passed && !cell.Expected.ExpectFailure)
        {
            TestContext.Current.AddAttachment("cluster-evidence", await hub.EvidenceAsync(ct));
        }

        result.Passed.Should().Be(!cell.Expected.ExpectFailure, result.Cause ?? "every check passed");
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
