namespace KernelRegression.Tests.Evidence;

/// <summary>
/// Out of memory is claimed only from a counter (the memory cgroup's oom_kill, Docker's OOMKilled) or the
/// kernel's own MemoryError; a SIGKILL nothing counted reads as what it is.
/// </summary>
public sealed class OutOfMemoryCauseTests
{
    private const string KernelId = "k-1";

    private static readonly LaunchProfile Limit300M = new() { Name = "default", MemLimit = "300M" };

    private static CellEvidence Evidence(int? oomKills, bool oomKilled = false, ProcessEnd? end = null, string status = "running") => new()
    {
        Tier = "docker",
        Launch = Limit300M,
        Server = new TierEvidence { Container = new ContainerState { Exists = true, Status = status, OomKills = oomKills, OomKilled = oomKilled } },
        KernelProcesses = end is null ? [] : [new KernelProcessSeen(KernelId, 40, 7, "/bin/sh -c wrapper", false, TimeSpan.Zero, TimeSpan.FromSeconds(12.3)) { End = end }],
    };

    private static string Cause(Exception e, CellEvidence evidence) => Explainer.Cause(new CheckFailure(e, IsHarness: false), evidence);

    private static KernelDiedException Died(string cause) => new(KernelId, "restarting", TimeSpan.FromSeconds(12), cause, "");

    /// <summary>A kernel's death (its log's cause, the memory cgroup's oom_kill count, its process's end) and how its cause starts.</summary>
    public static TheoryData<string, int, ProcessEnd, string> Deaths => new()
    {
        // The cgroup's counter claims it
        { "no cause in the kernel log; last status busy", 1, ProcessEnd.KilledBy(9), "out of memory: the container's memory cgroup OOM-killed the kernel (1 kill(s), limit 300M)" },
        // A SIGKILL seen only by the process watch is said so, with no counter moved
        { "[I KernelRestarter: restarting kernel (1/5), keep random ports", 0, ProcessEnd.KilledBy(9), "kernel killed by SIGKILL (its process exited after 12.3 s, killed by SIGKILL); no OOM counter moved" },
    };

    [Theory]
    [MemberData(nameof(Deaths), DisableDiscoveryEnumeration = true)]
    public void OutOfMemoryIsClaimedByTheCounterAndASigkillNothingCountedIsSaidAsSeen(string kernelLog, int oomKills, ProcessEnd end, string startsWith)
    {
        Cause(Died(kernelLog), Evidence(oomKills, end: end)).Should().StartWith(startsWith);
    }

    [Fact]
    public void ASigkillNoCounterSawIsNotOutOfMemory()
    {
        // Given a wrapper's "Killed" (the old text rule made it "out of memory: Killed") and a counter at 0
        var died = Died(LogPatterns.KilledPrefix + "Killed");

        var cause = Cause(died, Evidence(oomKills: 0, end: ProcessEnd.Exited(137)));

        cause.Should().StartWith("kernel killed by SIGKILL (its process exited after 12.3 s, exit 137 (a shell's code for a child killed by SIGKILL))")
            .And.Contain("no OOM counter moved (the memory cgroup's oom_kill 0, Docker's OOMKilled false, limit 300M)").And.EndWith(": Killed");
        cause.Should().NotContain("out of memory");
    }

    [Fact]
    public void ACounterThatMovedDoesNotExplainAKernelThatExitedOtherwise()
    {
        Cause(Died("ValueError: boom"), Evidence(oomKills: 2, end: ProcessEnd.Exited(1))).Should().Be("ValueError: boom");
    }

    [Fact]
    public void AServerKilledAtSpawnWithDockersOomKilledFalseIsNotOutOfMemory()
    {
        // Given the spawner's line for a container that ended 137 but was not OOM-killed
        string[] lines =
        [
            "[W 2026-12-06 19:10:10.320 JupyterHub kr_container_spawner:497] Container kr-1-a (abc) for a: status=exited exit code=137 oom_killed=False error=''; last 40 log lines:",
            "    /bin/bash: line 1:     7 Killed                  jupyterhub-singleuser --ip=0.0.0.0 --port=8888",
        ];
        var spawn = new SpawnFailedException("a", "Spawner failed to start [status=137]", "", CauseFinder.Find(lines));

        var cause = Cause(spawn, Evidence(oomKills: null, oomKilled: false, status: "exited"));

        cause.Should().StartWith(LogPatterns.KilledPrefix).And.EndWith("Docker's OOMKilled is false (limit 300M; the memory cgroup's count was not read)");
        cause.Should().NotContain("out of memory");
    }

    [Theory]
    [InlineData("MemoryError", "out of memory: MemoryError")]
    [InlineData("[W JupyterHub kr_container_spawner] Container x: status=exited exit code=137 oom_killed=True error=''", "out of memory: ")]
    [InlineData("Killed", "killed by SIGKILL: Killed")]
    [InlineData("[W JupyterHub] Container x: status=exited exit code=137 oom_killed=False", "killed by SIGKILL: ")]
    [InlineData("State: OOMKilled: false, exit code=137", "killed by SIGKILL: ")]
    [InlineData("RuntimeError: CUDA out of memory", "RuntimeError: CUDA out of memory")]
    public void OnlyACounterOrAMemoryErrorReadsAsOutOfMemory(string line, string startsWith) =>
        CauseFinder.Find([line]).Should().StartWith(startsWith);
}
