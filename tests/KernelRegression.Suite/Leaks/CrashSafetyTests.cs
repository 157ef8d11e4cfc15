using System.Diagnostics;
using KernelRegression.Faults;
using KernelRegression.Tiers.Process;
using KernelRegression.Docker;
using KernelRegression.Tests.Support;

namespace KernelRegression.Suite.Leaks;

/// <summary>
/// The harness never leaks: a `kr run` killed with SIGKILL mid-cell leaves only labelled resources,
/// and the next run removes them before it starts; Ctrl-C or SIGTERM tears a run down itself.
/// Runs the real command line as a child process.
/// </summary>
[Collection(nameof(Faults.ProcessFaults))]
public sealed class CrashSafetyTests : IDisposable
{
    private readonly List<System.Diagnostics.Process> _started = [];
    private readonly Dictionary<System.Diagnostics.Process, Task<string>> _output = [];

    /// <summary>The child runs' report folders (KR_OUTPUT), gone with the test.</summary>
    private readonly TempDir _reports = new("kr-crash-test-reports-");

    private string ReportsRoot => _reports.FullName;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task AProcessRunKilledMidCellLeavesNothingLabelledWithinTenSecondsWithNoFurtherRun()
    {
        var (kr, runId) = await StartKrAsync("run", "--checks", "kernel-starts,stays-alive", "--alive-window", "120");
        await Eventually.TrueAsync("the child run's single-user server to be up", _ => Task.FromResult(
            LabelledProcesses.All().Any(p => p.RunId == runId && IsServer(p.Pid))), Deadline.Of(90), Ct);
        var running = LabelledProcesses.Count(runId);

        kr.Kill(); // SIGKILL: no handler of the harness runs
        await kr.WaitForExitAsync(Ct);
        var gone = await GoneWithinAsync(runId, TimeSpan.FromSeconds(10));

        running.Should().BeGreaterThan(0, "the hub, proxy and server were running");
        gone.Should().BeTrue($"the run's reaper removes what it left: {LabelledProcesses.Count(runId)} processes left");
        Directory.Exists(Path.Combine(Run.Root, runId)).Should().BeFalse();
    }

    [Fact]
    [RequiresTier(typeof(DockerTierProbe))]
    public async Task ADockerRunKilledMidCellLeavesNothingLabelledWithinTenSecondsWithNoFurtherRun()
    {
        var (kr, runId) = await StartDockerRunAsync();
        var running = await DockerEngine.CountRunAsync(runId, Ct);

        kr.Kill();
        await kr.WaitForExitAsync(Ct);
        var gone = await GoneWithinAsync(runId, TimeSpan.FromSeconds(10));

        running.Should().BeGreaterThan(0);
        gone.Should().BeTrue($"the run's reaper removes its containers, network and volumes: {await DockerEngine.CountRunAsync(runId, Ct)} left");
    }

    [Fact]
    public async Task ARunKilledTogetherWithItsReaperIsSweptByTheNextRun()
    {
        var (kr, runId) = await StartKrAsync("run", "--checks", "kernel-starts,stays-alive", "--alive-window", "120");
        await Eventually.TrueAsync("the child run's single-user server to be up", _ => Task.FromResult(
            LabelledProcesses.All().Any(p => p.RunId == runId && IsServer(p.Pid))), Deadline.Of(90), Ct);
        var reaper = LocalProcess.All().Single(p => p.CommandLine.Contains("kr-reaper", StringComparison.Ordinal) && p.CommandLine.Contains(runId, StringComparison.Ordinal));

        ProcessGroup.Kill(reaper.Pid, Signals.Kill);
        kr.Kill();
        await kr.WaitForExitAsync(Ct);
        var left = LabelledProcesses.Count(runId);
        await using var next = Run.Start();

        left.Should().BeGreaterThan(0, "with no reaper, SIGKILL leaves the hub, proxy and server running: that is what the sweep is for");
        LabelledProcesses.Count(runId).Should().Be(0);
        Directory.Exists(Path.Combine(Run.Root, runId)).Should().BeFalse();
    }

    /// <summary>Whether nothing of the run is left (processes, containers, networks, volumes, its directory) within the time, checked every 250 ms.</summary>
    private static async Task<bool> GoneWithinAsync(string runId, TimeSpan within)
    {
        var sw = Stopwatch.StartNew();
        while (sw.Elapsed < within)
        {
            if (LabelledProcesses.Count(runId) == 0 && await DockerEngine.CountRunAsync(runId, Ct) == 0 && !Directory.Exists(Path.Combine(Run.Root, runId)))
            {
                TestContext.Current.SendDiagnosticMessage($"run {runId} gone {sw.Elapsed.TotalSeconds:0.0} s after its owner died");
                return true;
            }
            await Task.Delay(250, Ct);
        }
        return false;
    }

    /// <summary>Ctrl-C (SIGINT) and `kill`/`timeout`/CI cancellation (SIGTERM) end a run the same way.</summary>
    [Theory]
    [InlineData(Signals.Interrupt)]
    [InlineData(Signals.Term)]
    public async Task ASignalTearsAProcessRunDownWithinTenSeconds(int signal)
    {
        var (kr, runId) = await StartKrAsync("run", "--checks", "kernel-starts,stays-alive", "--alive-window", "120");
        await Eventually.TrueAsync("the child run's single-user server to be up", _ => Task.FromResult(
            LabelledProcesses.All().Any(p => p.RunId == runId && IsServer(p.Pid))), Deadline.Of(90), Ct);

        var sw = Stopwatch.StartNew();
        ProcessGroup.Kill(kr.Id, signal);
        await kr.WaitForExitAsync(Ct).WaitAsync(TimeSpan.FromSeconds(15), Ct);

        sw.Elapsed.Should().BeLessThan(TimeSpan.FromSeconds(10));
        kr.ExitCode.Should().Be(128 + signal, "a run a signal ended exits as a shell reports it (Ctrl-C: 130), never with a verdict");
        LabelledProcesses.Count(runId).Should().Be(0, "a cancelled run stops what it started");
        Directory.Exists(Path.Combine(Run.Root, runId)).Should().BeFalse();
    }

    /// <summary>Ctrl-C and SIGTERM ask a docker run to stop: it removes its containers, network and volumes itself, no sweep needed.</summary>
    [Theory]
    [InlineData(Signals.Interrupt)]
    [InlineData(Signals.Term)]
    [RequiresTier(typeof(DockerTierProbe))]
    public async Task ASignalMakesADockerRunRemoveWhatItStartedBeforeItExits(int signal)
    {
        var (kr, runId) = await StartDockerRunAsync();

        ProcessGroup.Kill(kr.Id, signal);
        await kr.WaitForExitAsync(Ct).WaitAsync(TimeSpan.FromSeconds(30), Ct);
        var output = await _output[kr];

        kr.ExitCode.Should().Be(128 + signal, output);
        (await DockerEngine.CountRunAsync(runId, Ct)).Should().Be(0, "a signal is a request to stop: the run removes its containers, network and volumes itself");
        LabelledProcesses.Count(runId).Should().Be(0);
        Directory.Exists(Path.Combine(Run.Root, runId)).Should().BeFalse();
        output.Should().Contain($"stopped by signal {signal} after cleaning up (exit {128 + signal})")
            .And.NotContain("testcontainers", "Testcontainers' own lines go to the run's kr.log, not between the run's");
        File.ReadAllText(Path.Combine(ReportsRoot, runId, "kr.log")).Should().Contain("Docker container", "Testcontainers' lines are kept in the run's log");
    }

    /// <summary>A docker `kr run` of one cell, returned once its network, hub and user's server exist.</summary>
    private async Task<(System.Diagnostics.Process Kr, string RunId)> StartDockerRunAsync()
    {
        var (kr, runId) = await StartKrAsync("run", "--tier", "docker", "--cells", "docker/hub-bookworm/img-bookworm/profile-default",
            "--checks", "kernel-starts,stays-alive", "--alive-window", "120");
        await Eventually.TrueAsync("the child run's hub and user containers to be up", async t =>
            await DockerEngine.CountRunAsync(runId, t) >= 3, Deadline.Of(300), Ct); // network + hub + user's server
        return (kr, runId);
    }

    private static bool IsServer(int pid)
    {
        try
        {
            return File.ReadAllText($"/proc/{pid}/cmdline").Contains("jupyterhub-singleuser", StringComparison.Ordinal);
        }
        catch (IOException)
        {
            return false;
        }
    }

    /// <summary>Starts the kr command line and reads its run id from its first line ("run ID: …").</summary>
    /// <summary>A test that failed before its kr exited must not leave it running (it would write its report later, anywhere).</summary>
    public void Dispose()
    {
        foreach (var p in _started)
        {
            if (!p.HasExited)
            {
                p.Kill(entireProcessTree: true);
            }
            p.Dispose();
        }
        _reports.Dispose();
    }

    private async Task<(System.Diagnostics.Process Kr, string RunId)> StartKrAsync(params string[] args)
    {
        // As from a terminal: a test host started in the background (nohup, `cmd &` in a script) ignores
        // SIGINT, and a child inherits that, so Ctrl-C could not reach kr. env resets it, then execs dotnet.
        var psi = new ProcessStartInfo("env") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        psi.ArgumentList.Add("--default-signal=INT");
        psi.ArgumentList.Add("dotnet");
        psi.ArgumentList.Add(Cli.KrProcess.Dll);
        foreach (var a in args)
        {
            psi.ArgumentList.Add(a);
        }
        psi.Environment["KR_OUTPUT"] = ReportsRoot;
        var kr = System.Diagnostics.Process.Start(psi)!;
        _started.Add(kr);
        var first = "";
        var runId = await Deadline.RunAsync("kr to print its run id", Deadline.Of(60), async t =>
        {
            while (await kr.StandardOutput.ReadLineAsync(t) is { } line)
            {
                if (line.StartsWith("run ", StringComparison.Ordinal) && line.Contains(':', StringComparison.Ordinal))
                {
                    first = line;
                    return line[4..line.IndexOf(':', StringComparison.Ordinal)];
                }
            }
            throw new InvalidOperationException($"kr exited without a run id: {await kr.StandardError.ReadToEndAsync(t)}");
        }, () => "no output", Ct);
        // Keep the pipes drained; what kr printed is there for a test to read once it exited.
        var stdout = kr.StandardOutput.ReadToEndAsync(Ct);
        var stderr = kr.StandardError.ReadToEndAsync(Ct);
        _output[kr] = Task.Run(async () => first + "\n" + await stdout + await stderr);
        return (kr, runId);
    }
}
