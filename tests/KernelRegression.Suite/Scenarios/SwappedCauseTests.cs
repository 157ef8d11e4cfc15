using System.Text.Json;
using System.Text.Json.Nodes;

namespace KernelRegression.Suite.Scenarios;

/// <summary>
/// A known-bad cell counts as caught only with its own cause. Each scenario's cell, and the incident's,
/// run again with its expectation unchanged but made to fail another way first; the judge must call it
/// "failed (another cause)", never an expected failure. Without the cause check these would all pass.
/// </summary>
public sealed class SwappedCauseTests(ProcessFixture process, DockerFixture docker)
{
    /// <summary>Ways to make a cell fail before its scenario can: at the server's start, or at the kernel's.</summary>
    public enum Swap
    {
        /// <summary>The single-user app cannot be imported: the server dies at start with ModuleNotFoundError: No module named 'kr_swap'.</summary>
        ServerApp,
        /// <summary>The cell's kernel is a kernelspec that cannot import its module (broken-kernelspec's).</summary>
        BrokenKernelspec,
        /// <summary>A usercustomize in ~/.local makes every new Python of the user exit at once with its own error line.</summary>
        UserCustomize,
    }

    public static IEnumerable<TheoryDataRow<string, Swap>> Cells() =>
    [
        Row("docker/hub-trixie/img-bookworm-pre-pr233/profile-kubespawner-pr34-command", Swap.BrokenKernelspec),
        Row("docker/hub-trixie/img-bookworm/profile-default/scenario-oom-cell", Swap.BrokenKernelspec),
        Row("docker/hub-trixie/img-bookworm/profile-default/scenario-stale-user-site-packages", Swap.BrokenKernelspec),
        Row("process/hub-host/img-host/profile-host/scenario-stale-user-site-packages", Swap.BrokenKernelspec),
        Row("docker/hub-trixie/img-bookworm-pre-pr233/profile-kubespawner-pr34-command/scenario-broken-kernelspec", Swap.UserCustomize),
        Row("process/hub-host/img-host/profile-host/scenario-broken-kernelspec", Swap.UserCustomize),
        Row("docker/hub-trixie/img-bookworm/profile-default/scenario-runtime-dir-not-writable", Swap.ServerApp),
        Row("process/hub-host/img-host/profile-host/scenario-runtime-dir-not-writable", Swap.ServerApp),
        Row("docker/hub-trixie/img-bookworm/profile-default/scenario-uid-without-home", Swap.ServerApp),
        Row("docker/hub-trixie/img-bookworm/profile-default/scenario-memory-limit-too-small", Swap.ServerApp),
    ];

    private static TheoryDataRow<string, Swap> Row(string cell, Swap swap) => new(cell, swap) { Label = $"{cell} ({swap})" };

    [Theory]
    [MemberData(nameof(Cells))]
    public async Task AKnownBadCellThatFailsAnotherWayIsNotCountedAsCaught(string cellId, Swap swap)
    {
        var ct = TestContext.Current.CancellationToken;
        var matrix = MatrixFile.Load();
        var cell = matrix.CellById(cellId);
        ITier tier = cell.Tier == "process" ? process.Tier : docker.Tier;
        cell.Expected.ExpectFailure.Should().BeTrue($"{cellId} is one of the matrix's known-bad cells");
        if (tier is DockerTier d)
        {
            await d.PrepareAsync([cell], _ => { }, ct);
        }
        var deployment = Swapped(await tier.DeployAsync(cell, ct), swap);

        var report = new CellReport(await CellRunner.RunAsync(cell, deployment, CheckCatalog.Resolve(["kernel-starts", "executes"]), CheckOptions.Default, ct));

        TestContext.Current.AddAttachment("judgement", $"{report.Outcome}: {report.Judgement.Why}");
        report.Outcome.Should().Be(Outcome.FailedOtherCause, $"the failure was produced another way ({swap}): {report.OneLineCause}");
        report.OneLineCause.Should().NotContain(cell.Expected.CauseContains);
    }

    private static CellDeployment Swapped(CellDeployment d, Swap swap)
    {
        var scenario = d.Scenario ?? new Scenario { Name = "healthy" };
        var launch = d.Launch ?? new LaunchProfile();
        switch (swap)
        {
            case Swap.BrokenKernelspec:
                var broken = Scenario.Load("broken-kernelspec").Setup;
                return d with { Scenario = scenario with { Setup = scenario.Setup with { Kernel = broken.Kernel, UserFiles = Merge(scenario.Setup.UserFiles, broken.UserFiles) } } };
            case Swap.UserCustomize:
                var usercustomize = new Dictionary<string, string>
                {
                    [".local/lib/python{python}/site-packages/usercustomize.py"] =
                        "import os, sys\nsys.stderr.write('KrSwapError: this Python was stopped by the swapped-cause test\\n')\nsys.stderr.flush()\nos._exit(3)\n",
                };
                return d with { Scenario = scenario with { Setup = scenario.Setup with { UserFiles = Merge(scenario.Setup.UserFiles, usercustomize) } } };
            default:
                var env = new Dictionary<string, string>(launch.Env) { ["JUPYTERHUB_SINGLEUSER_APP"] = "kr_swap.NoSuchApp" };
                var swapped = launch with { Env = env };
                JsonObject options = d.Hub is DockerHub hub
                    ? hub.UserOptions(d.Image!, swapped)
                    : new JsonObject { ["env"] = JsonSerializer.SerializeToNode(env) };
                return d with { Launch = swapped, UserOptions = options };
        }
    }

    private static Dictionary<string, string> Merge(IReadOnlyDictionary<string, string> a, IReadOnlyDictionary<string, string> b) =>
        a.Concat(b).GroupBy(kv => kv.Key).ToDictionary(g => g.Key, g => g.Last().Value);
}
