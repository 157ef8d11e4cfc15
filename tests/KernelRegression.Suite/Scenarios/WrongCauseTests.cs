using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using KernelRegression.Latency;

namespace KernelRegression.Suite.Scenarios;

/// <summary>
/// Right symptom, wrong cause. For each cause the matrix expects, its known-bad cell is run with the same
/// symptom made real by another mechanism: real kernels, servers and containers, not text. The cell's
/// expectation is unchanged, so a judge that reads symptoms (a silent death under a PID-1 server, a SIGKILL,
/// a slow step) would count it caught; it must be "failed (another cause)". Each row first shows that the
/// symptom really happened, so none passes by failing some other way. Where a scenario's cause is the
/// kernel's own words naming its trigger (broken-kernelspec's module, runtime-dir-not-writable's path, the
/// browser's 404 and refused cookie), another cause cannot print them and there is no row: see
/// <see cref="SwappedCauseTests"/> for those cells failed another way.
/// </summary>
public sealed class WrongCauseTests(ProcessFixture process, DockerFixture docker)
{
    /// <summary>The other mechanism behind the same symptom.</summary>
    public enum OtherCause
    {
        /// <summary>The incident's symptom, a kernel that exits silently at start under a server that is PID 1, from its own os._exit(1) (on every launch, with or without an init).</summary>
        SilentExitAtStart,
        /// <summary>oom-cell's symptom, a kernel killed mid-cell with no traceback and its wrapper saying "Killed": a SIGKILL under a generous memory limit, no OOM.</summary>
        SigkillUnderGenerousLimit,
        /// <summary>memory-limit-too-small's symptom, the server's container dead at start with exit 137 and "Killed": a SIGKILL the moment it starts, under a generous limit, no OOM.</summary>
        ServerKilledAtStart,
        /// <summary>slow-server-start's symptom, a spawn over budget: the time went to a postStart hook, after the server's first line.</summary>
        SlowPostStartHook,
        /// <summary>slow-kernel-start's symptom, a kernel start over budget: the server was stalled (SIGSTOP) while the kernel was ready at once.</summary>
        ServerStalledAtKernelStart,
        /// <summary>slow-execute-cpu-limit's symptom, a first execute over budget: the cell sleeps, under a whole CPU.</summary>
        CellSleepsUnderAWholeCpu,
        /// <summary>uid-without-home's symptom, "Permission denied": for a root-only file, under the image's own uid with a writable home.</summary>
        PermissionDeniedElsewhere,
        /// <summary>stale-user-site-packages' symptom, "No module named 'IPython.…'": a submodule that does not exist, with no stale package in ~/.local.</summary>
        MissingSubmoduleNotShadowed,
    }

    private const string Trixie = "docker/hub-trixie/img-bookworm";
    private const string Host = "process/hub-host/img-host/profile-host";

    public static IEnumerable<TheoryDataRow<string, OtherCause>> Cells() =>
    [
        Row("docker/hub-trixie/img-bookworm-pre-pr233/profile-kubespawner-pr34-command", OtherCause.SilentExitAtStart),
        Row($"{Trixie}/profile-default/scenario-oom-cell", OtherCause.SigkillUnderGenerousLimit),
        Row($"{Trixie}/profile-default/scenario-memory-limit-too-small", OtherCause.ServerKilledAtStart),
        Row($"{Trixie}/profile-start-hook/scenario-slow-server-start", OtherCause.SlowPostStartHook),
        Row($"{Trixie}/profile-default/scenario-slow-kernel-start", OtherCause.ServerStalledAtKernelStart),
        Row($"{Host}/scenario-slow-kernel-start", OtherCause.ServerStalledAtKernelStart),
        Row($"{Trixie}/profile-default/scenario-slow-execute-cpu-limit", OtherCause.CellSleepsUnderAWholeCpu),
        Row($"{Trixie}/profile-default/scenario-uid-without-home", OtherCause.PermissionDeniedElsewhere),
        Row($"{Trixie}/profile-default/scenario-stale-user-site-packages", OtherCause.MissingSubmoduleNotShadowed),
        Row($"{Host}/scenario-stale-user-site-packages", OtherCause.MissingSubmoduleNotShadowed),
    ];

    private static TheoryDataRow<string, OtherCause> Row(string cell, OtherCause other) => new(cell, other) { Label = $"{cell} ({other})" };

    /// <summary>The budgets the slow rows judge by (seconds, before KR_TIMEOUT_SCALE): their delays are half as long again, at any scale.</summary>
    private static readonly Dictionary<OtherCause, (BudgetStep Step, double Seconds)> SlowRows = new()
    {
        // The spawner's start timeout (120 s) covers the hook: a budget well under it.
        [OtherCause.SlowPostStartHook] = (BudgetStep.Spawn, 20),
        // The stall may land in the POST, which the harness gives 30 s: the stall stays under that.
        [OtherCause.ServerStalledAtKernelStart] = (BudgetStep.KernelStart, 12),
        [OtherCause.CellSleepsUnderAWholeCpu] = (BudgetStep.FirstExecute, 8),
    };

    [Theory]
    [MemberData(nameof(Cells))]
    public async Task TheSameSymptomFromAnotherCauseIsNotCountedAsCaught(string cellId, OtherCause other)
    {
        var ct = TestContext.Current.CancellationToken;
        var cell = MatrixFile.Load().CellById(cellId);
        cell.Expected.ExpectFailure.Should().BeTrue($"{cellId} is one of the matrix's known-bad cells");
        if (SlowRows.TryGetValue(other, out var slow))
        {
            cell = cell with { Budgets = cell.Budgets.With(new Dictionary<string, double> { [slow.Step.Name] = slow.Seconds }, nameof(WrongCauseTests)) };
        }
        ITier tier = cell.Tier == "process" ? process.Tier : docker.Tier;
        if (tier is DockerTier d)
        {
            await d.PrepareAsync([cell], _ => { }, ct);
        }
        var deployment = Made(await tier.DeployAsync(cell, ct), other);

        var result = await CellRunner.RunAsync(cell, deployment, CheckCatalog.Resolve(["kernel-starts", "executes"]), CheckOptions.Default, ct);
        var report = new CellReport(result);

        TestContext.Current.AddAttachment("judgement", $"{report.Outcome}: {report.Judgement.Why}");
        foreach (var (name, text) in EvidenceFiles.Of(result.Evidence))
        {
            TestContext.Current.AddAttachment(name, Secrets.Redact(text));
        }
        ShowsTheSymptom(other, report);
        report.Outcome.Should().Be(Outcome.FailedOtherCause, $"the symptom came from another cause ({other}): {report.Judgement.Why}");
    }

    /// <summary>The symptom the scenario names really happened: the row is a wrong cause, not a different failure.</summary>
    private static void ShowsTheSymptom(OtherCause other, CellReport report)
    {
        var result = report.Result;
        var because = $"{other} must show the scenario's symptom: {report.OneLineCause}";
        var evidence = result.Evidence;
        switch (other)
        {
            case OtherCause.SilentExitAtStart:
                evidence.KernelProcesses.Should().Contain(p => p.Lived != null && p.ParentIsPid1, because);
                break;
            case OtherCause.SigkillUnderGenerousLimit:
                result.Checks.Single(c => c.Check == "executes").Verdict.Should().Be(Verdict.Failed, because);
                evidence.ServerLog.Should().Contain(l => l.Contains("Killed", StringComparison.Ordinal), because);
                break;
            case OtherCause.ServerKilledAtStart:
                evidence.Server.Container.Should().Match<ContainerState>(c => c.ExitCode == 137 && !c.OomKilled, because);
                break;
            case OtherCause.PermissionDeniedElsewhere:
                report.OneLineCause.Should().Contain("Permission denied", because);
                break;
            case OtherCause.MissingSubmoduleNotShadowed:
                report.OneLineCause.Should().Contain("No module named 'IPython.", because);
                break;
            default:
                result.Latency.Should().NotBeNull(because);
                result.Latency![SlowRows[other].Step].Should().Match<StepVerdict>(v => v.Over, because);
                break;
        }
    }

    private static CellDeployment Made(CellDeployment d, OtherCause other)
    {
        var delay = SlowRows.TryGetValue(other, out var slow) ? Seconds(slow.Seconds * Deadline.Scale * 1.5) : "0";
        return other switch
        {
            // Dies as the incident's kernel does, after importing ipykernel and before binding, but of its own exit.
            OtherCause.SilentExitAtStart => WithKernel(d, "kr-exits-at-start", ["/usr/bin/python3", "-c", "import ipykernel.kernelapp, os; os._exit(1)", "{connection_file}"]),
            // A wrapper that does not exec (as conda activation scripts do) prints "Killed" when its kernel is SIGKILLed.
            OtherCause.SigkillUnderGenerousLimit => WithCell(
                WithKernel(WithLaunch(d, l => l with { MemLimit = "1G" }), "kr-wrapped", ["/bin/sh", "-c", "/usr/bin/python3 -m ipykernel_launcher -f \"$0\"; exit $?", "{connection_file}"]),
                "import os, signal\nos.kill(os.getpid(), signal.SIGKILL)"),
            // As the image's start script runs the server (a child of bash), killed the moment it starts (a
            // later kill races the server's readiness on a quiet machine, and the spawn succeeds).
            OtherCause.ServerKilledAtStart => WithLaunch(d, l => l with
            {
                MemLimit = "1G",
                Command = ["/bin/bash", "-c", "jupyterhub-singleuser --ip=0.0.0.0 --port=8888 & server=$!; kill -KILL \"$server\"; wait \"$server\""],
            }),
            OtherCause.SlowPostStartHook => WithLaunch(d, l => l with
            {
                Env = new Dictionary<string, string>(l.Env) { ["KR_START_HOOK_SLEEP"] = "0" },
                PostStart = ["/bin/sh", "-c", $"sleep {delay}"],
            }),
            // The kernel's wrapper stops its parent, the server, and lets it go on later; the kernel itself starts at once.
            OtherCause.ServerStalledAtKernelStart => WithKernel(d, "kr-stalls-server",
                ["/bin/sh", "-c", $"kill -STOP $PPID; (sleep {Seconds(20 * Deadline.Scale)}; kill -CONT $PPID) & exec /usr/bin/python3 -m ipykernel_launcher -f \"$0\"", "{connection_file}"]),
            OtherCause.CellSleepsUnderAWholeCpu => WithCell(WithLaunch(d, l => l with { CpuLimit = 1.0 }), $"import time\ntime.sleep({delay})"),
            OtherCause.PermissionDeniedElsewhere => WithKernel(WithLaunch(d, l => l with { Uid = 1000, Gid = 100 }), "kr-reads-shadow",
                ["/usr/bin/python3", "-c", "open('/etc/shadow')", "{connection_file}"]),
            _ => WithKernel(WithoutUserFiles(d), "kr-missing-submodule", ["/usr/bin/python3", "-c", "import IPython.kr_not_a_module", "{connection_file}"]),
        };
    }

    private static string Seconds(double s) => Math.Ceiling(s).ToString(CultureInfo.InvariantCulture);

    private static Scenario ScenarioOf(CellDeployment d) => d.Scenario ?? new Scenario { Name = "healthy" };

    /// <summary>A user kernelspec (jupyter_client finds ~/.local/share/jupyter/kernels), started instead of python3.</summary>
    private static CellDeployment WithKernel(CellDeployment d, string name, string[] argv)
    {
        var scenario = ScenarioOf(d);
        var spec = new JsonObject { ["argv"] = JsonSerializer.SerializeToNode(argv), ["display_name"] = name, ["language"] = "python" };
        var files = new Dictionary<string, string>(scenario.Setup.UserFiles) { [$".local/share/jupyter/kernels/{name}/kernel.json"] = spec.ToJsonString() };
        return d with { Scenario = scenario with { Setup = scenario.Setup with { Kernel = name, UserFiles = files } } };
    }

    private static CellDeployment WithoutUserFiles(CellDeployment d) =>
        d with { Scenario = ScenarioOf(d) with { Setup = ScenarioOf(d).Setup with { UserFiles = [] } } };

    private static CellDeployment WithCell(CellDeployment d, string code) =>
        d with { Scenario = ScenarioOf(d) with { Setup = ScenarioOf(d).Setup with { Cell = code } } };

    /// <summary>The docker tier's launch changed, and the spawn's user_options with it.</summary>
    private static CellDeployment WithLaunch(CellDeployment d, Func<LaunchProfile, LaunchProfile> change)
    {
        var hub = d.Hub as DockerHub ?? throw new InvalidOperationException($"a launch change needs the docker tier, not {d.Hub.Tier}");
        var launch = change(d.Launch ?? new LaunchProfile());
        return d with { Launch = launch, UserOptions = hub.UserOptions(d.Image!, launch) };
    }
}
