using static KernelRegression.Tests.Latency.Synthetic;

namespace KernelRegression.Tests.Latency;

public sealed class SlowPartTests
{
    private static readonly string ContainerStarted =
        $"[I 2026-11-30 14:26:59.900 JupyterHub kr_container_spawner:330] Container kr-run1-{User} (0123456789ab) started at 172.17.0.3:8888";

    private static readonly string TookToStart = $"[I 2026-11-30 14:27:46.000 JupyterHub base:963] User {User} took 47.142 seconds to start";

    /// <summary>The slow part named for a step that took <paramref name="seconds"/> against <paramref name="budget"/>, at timeout scale 1.</summary>
    private static string Explain(BudgetStep step, double seconds, double budget, CellEvidence? evidence = null, LatencyTrace? trace = null) =>
        SlowPart.Explain(
            new StepVerdict(step, TimeSpan.FromSeconds(seconds), 1, new StepBudget(budget, "default"), TimeSpan.FromSeconds(budget), "kernel-starts"),
            evidence ?? CellEvidence.Empty, trace ?? LatencyTrace.Empty, scale: 1);

    /// <summary>The server's debug lines about its own first kernel_info_request (notebook 6.4's ZMQChannelsHandler, as logged in a real run).</summary>
    private static string[] KernelAnswered(double afterSeconds) =>
    [
        "[D 2026-12-06 19:09:47.201 SingleUserNotebookApp zmqhandlers:298] Initializing websocket connection /user/x/api/kernels/k1/channels",
        "[D 2026-12-06 19:09:47.215 SingleUserNotebookApp handlers:277] Requesting kernel info from k1",
        "[D " + new DateTime(2026, 12, 6, 19, 9, 47, 215).AddSeconds(afterSeconds).ToString("yyyy-MM-dd HH:mm:ss.fff", System.Globalization.CultureInfo.InvariantCulture)
            + " SingleUserNotebookApp handlers:306] Received kernel info: {'status': 'ok'}",
    ];

    [Fact]
    public void AKernelSlowToAnswerItsServerIsThePartOverItsShare()
    {
        // Given a kernel start whose WebSocket took 60.1 s, the server's log saying the kernel answered its kernel_info after 60 s
        var steps = Steps(("spawn", 2000), ("kernel-start", 1060), ("kernel-connect", 60_100), ("kernel-ready", 40));
        var trace = new LatencyTrace(User, steps, [], KernelAnswered(60));

        var cause = Explain(BudgetStep.KernelStart, 61.2, 40, trace: trace);

        cause.Should().Be("kernel ready after 61.2 s (budget 40 s); over its share: the kernel took 60 s to answer the server's first kernel_info_request " +
            "(the server holds the channels WebSocket until it does) (its share 16 s); within theirs: POST /api/kernels answered in 1.1 s; " +
            "the channels WebSocket took 100 ms besides the kernel's answer (it opened 60.1 s after it was requested); kernel_info_reply came 40 ms after the WebSocket opened");
    }

    [Fact]
    public void AKernelStartSlowElsewhereNamesThatPartNotTheKernel()
    {
        // Given a server stalled during the POST (the kernel answered its server in 50 ms)
        var steps = Steps(("kernel-start", 55_000), ("kernel-connect", 300), ("kernel-ready", 40));
        var trace = new LatencyTrace(User, steps, [], KernelAnswered(0.05));

        var cause = Explain(BudgetStep.KernelStart, 55.3, 40, trace: trace);

        cause.Should().StartWith("kernel ready after 55.3 s (budget 40 s); over its share: POST /api/kernels answered in 55 s (its share 8 s); within theirs: the kernel took 50 ms to answer");
        cause.Should().NotContain("over its share: the kernel took");
    }

    [Fact]
    public void WithoutTheServersKernelInfoLinesTheWebSocketIsOnePart()
    {
        var steps = Steps(("kernel-start", 1060), ("kernel-connect", 60_100), ("kernel-ready", 40));

        Explain(BudgetStep.KernelStart, 61.2, 40, trace: new LatencyTrace(User, steps, [], []))
            .Should().Contain("over its share: the channels WebSocket opened 60.1 s after it was requested (the server's log does not say when the kernel answered it) (its share 24 s)");
    }

    [Fact]
    public void ABudgetUnderATimeoutScaleSaysSo()
    {
        var verdict = new StepVerdict(BudgetStep.Restart, TimeSpan.FromSeconds(70), 1, new StepBudget(30, "default"), TimeSpan.FromSeconds(60), "restart");

        SlowPart.Explain(verdict, CellEvidence.Empty, LatencyTrace.Empty, scale: 2).Should().StartWith("restart took 70 s (budget 30 s × KR_TIMEOUT_SCALE 2 = 60 s)");
    }

    private static readonly string[] SlowHookHub =
    [
        $"[I 2026-11-30 14:26:58.151 JupyterHub log:186] 201 POST /hub/api/users/{User} (kr-harness@127.0.0.1) 56.71ms",
        $"[I 2026-11-30 14:26:59.512 JupyterHub kr_container_spawner:304] Creating container kr-run1-{User} for {User}: image=kr/singleuser:bookworm",
        ContainerStarted,
        $"[I 2026-11-30 14:27:00.266 JupyterHub log:186] 202 POST /hub/api/users/{User}/server (kr-harness@127.0.0.1) 1407.81ms",
        TookToStart,
        $"[I 2026-11-30 14:27:46.012 JupyterHub users:749] Server {User} is ready",
    ];

    [Fact]
    public void ASlowStartHookIsTheWaitBeforeTheServersFirstLine()
    {
        string[] server =
        [
            "start hook: sleeping 40 s",
            "[I 2026-11-30 14:27:40.000 SingleUserNotebookApp mixins:615] Starting jupyterhub single-user server version 3.0.0",
        ];
        var trace = new LatencyTrace(User, Steps(("spawn", 47_300)), SlowHookHub, server);

        var cause = Explain(BudgetStep.Spawn, 47.3, 30, trace: trace);

        cause.Should().Be("spawn took 47.3 s (budget 30 s); over its share: the server logged its first line 40.5 s after its container was created (its share 7.5 s); " +
            "within theirs: the spawner created the server's container 654 ms after the spawn request; the hub saw the server answer 6 s after its first line");
    }

    [Fact]
    public void ASpawnSlowAfterTheServersFirstLineNamesThatPart()
    {
        // Given a postStart hook that held the spawner 40 s after the server had logged its first line
        string[] hub =
        [
            SlowHookHub[1],
            $"[I 2026-11-30 14:27:41.000 JupyterHub kr_container_spawner:769] postStart hook of {User} completed",
            SlowHookHub[3],
            TookToStart,
        ];
        string[] server = ["[I 2026-11-30 14:27:01.000 SingleUserNotebookApp mixins:615] Starting jupyterhub single-user server version 3.0.0"];

        var cause = Explain(BudgetStep.Spawn, 47.3, 30, trace: new LatencyTrace(User, Steps(("spawn", 47_300)), hub, server));

        cause.Should().StartWith("spawn took 47.3 s (budget 30 s); over its share: the hub saw the server answer 45 s after its first line " +
            "(the spawner reported its container started only once its postStart hook completed, 40 s after the server's first line) (its share 15 s)");
        cause.Should().NotContain("over its share: the server logged its first line");
    }

    [Fact]
    public void WithoutTheServersOwnLinesTheSpawnIsCountedFromTheContainersCreation()
    {
        var trace = new LatencyTrace(User, [], [SlowHookHub[1], SlowHookHub[3], TookToStart], ["no timestamps here"]);

        Explain(BudgetStep.Spawn, 48, 30, trace: trace)
            .Should().Be("spawn took 48 s (budget 30 s); over its share: the hub saw the server answer 46.5 s after its container was created (its share 22.5 s); " +
                "within theirs: the spawner created the server's container 654 ms after the spawn request");
    }

    [Fact]
    public void AServerClockThatDisagreesWithTheHubsIsNotUsed()
    {
        string[] server = ["[I 2026-11-30 15:27:40.000 SingleUserNotebookApp mixins:615] Starting (an hour off: another time zone)"];

        Explain(BudgetStep.Spawn, 48, 30, trace: new LatencyTrace(User, [], [SlowHookHub[1], SlowHookHub[3], TookToStart], server))
            .Should().NotContain("first line");
    }

    /// <summary>A slow step's message timeline and where it says the time went: to the kernel running the cell, or to the server.</summary>
    public static TheoryData<BudgetStep, double, double, TimelineEntry[], string> SlowTimelines => new()
    {
        // A first execute the kernel was busy running
        {
            BudgetStep.FirstExecute, 21.3, 5,
            [
                Sent(10_000, "execute_request", "m5"),
                Got(10_025, "iopub", "status", "m5", "busy"),
                Got(10_026, "iopub", "execute_input", "m5", "import multiprocessing as mp\\nburn(2)"),
                Got(31_225, "shell", "execute_reply", "m5", "ok"),
                Got(31_230, "iopub", "status", "m5", "idle"),
                Sent(31_300, "execute_request", "m6"),
            ],
            "first execute took 21.3 s (budget 5 s); over its share: the kernel was busy 21.2 s running `import multiprocessing as mp\\nburn(2)` (its share 3.8 s); " +
                "within theirs: the kernel began it 25 ms after the request"
        },
        // An interrupt the kernel obeyed at once: the rest went to the server's answer
        {
            BudgetStep.Interrupt, 12, 5,
            [
                Sent(20_000, "execute_request", "s1"),
                Got(20_010, "iopub", "execute_input", "s1", "import time\\ntime.sleep(600)"),
                Got(20_200, "iopub", "error", "s1", "KeyboardInterrupt: "),
                Got(20_210, "shell", "execute_reply", "s1", "error"),
            ],
            "interrupt took 12 s (budget 5 s): the kernel raised KeyboardInterrupt 190 ms after the cell started, so the rest went to the server answering the interrupt request"
        },
    };

    [Theory]
    [MemberData(nameof(SlowTimelines), DisableDiscoveryEnumeration = true)]
    public void ASlowStepsTimelineSaysWhetherTheKernelOrTheServerTookTheTime(BudgetStep step, double took, double budget, TimelineEntry[] timeline, string expected) =>
        Explain(step, took, budget, Timeline(timeline)).Should().Be(expected);

    private static CellEvidence Throttled(TimeSpan throttled, params TimelineEntry[] timeline) => Timeline(timeline) with
    {
        Launch = new LaunchProfile { CpuLimit = 0.03 },
        Server = new TierEvidence { Container = new ContainerState { Exists = true, Status = "running", Cpu = new CpuThrottling(4200, 4100, throttled) } },
    };

    private static readonly TimelineEntry[] BusyNineSeconds =
    [
        Sent(0, "execute_request", "m1"),
        Got(20, "iopub", "status", "m1", "busy"),
        Got(21, "iopub", "execute_input", "m1", "# A fixed CPU workload\\nimport subprocess, sys"),
        Got(9_000, "shell", "execute_reply", "m1", "ok"),
    ];

    [Fact]
    public void ACellHeldBackByItsCpuLimitSaysSoFromTheCgroupsCounters()
    {
        Explain(BudgetStep.FirstExecute, 9, 5, Throttled(TimeSpan.FromSeconds(300), BusyNineSeconds))
            .Should().Contain("over its share: the kernel was busy 9 s running `import subprocess, sys`, its container throttled by its CPU limit (0.03 CPU): throttled in 4100 of 4200 scheduling periods, 300.0 s in all since it started");
    }

    [Fact]
    public void ACellSlowWithoutThrottlingDoesNotBlameTheCpuLimit()
    {
        Explain(BudgetStep.FirstExecute, 9, 5, Throttled(TimeSpan.FromSeconds(0.2), BusyNineSeconds))
            .Should().Contain("its container not held back by a CPU limit (0.03 CPU)").And.NotContain("throttled by its CPU limit");
    }

    [Fact]
    public void AnExecuteThatWaitedForTheKernelToBeginItSaysSo()
    {
        var evidence = Timeline(Sent(0, "execute_request", "m1"), Got(9_000, "iopub", "status", "m1", "busy"), Got(9_040, "shell", "execute_reply", "m1", "ok"));

        Explain(BudgetStep.FirstExecute, 9.1, 5, evidence)
            .Should().Contain("over its share: the kernel began it 9 s after the request (its share 1.3 s); within theirs: the kernel was busy 40 ms running the cell");
    }

    /// <summary>A slow stop as the hub logged it (its answer, and how the server's container ended), and the explanation.</summary>
    public static TheoryData<double, double, string[], string> SlowStops => new()
    {
        // The hub stopped waiting while the stop was pending; the spawner removed the container later
        {
            10.1, 8,
            [
                $"[I 2026-11-30 14:30:10.000 JupyterHub log:186] 202 DELETE /hub/api/users/{User}/server (kr-harness@127.0.0.1) 10012.00ms",
                $"[I 2026-11-30 14:30:13.500 JupyterHub kr_container_spawner:369] Removed container kr-run1-{User} (0123456789ab)",
            ],
            "server stop took 10.1 s (budget 8 s): the hub answered 202 after 10 s (the stop was still pending when the hub stopped waiting); the container was removed 13.5 s after the stop request"
        },
        // The server's container outlived its grace after SIGTERM and was killed
        {
            7.1, 5,
            [
                $"[I 2026-11-30 14:30:06.900 JupyterHub kr_container_spawner:507] Container kr-run1-{User} for {User} did not exit within its 5 s grace after SIGTERM: killed (exit code 137), 6.8 s after the stop request",
                $"[I 2026-11-30 14:30:07.100 JupyterHub log:186] 204 DELETE /hub/api/users/{User}/server (kr-harness@127.0.0.1) 7100.00ms",
            ],
            "server stop took 7.1 s (budget 5 s): the hub answered 204 after 7.1 s; the server's container did not exit within its 5 s grace after SIGTERM: killed (exit code 137), 6.8 s after the stop request"
        },
    };

    [Theory]
    [MemberData(nameof(SlowStops))]
    public void ASlowStopQuotesTheHubsAnswerAndHowTheServersContainerEnded(double took, double budget, string[] hub, string expected) =>
        Explain(BudgetStep.ServerStop, took, budget, trace: new LatencyTrace(User, [], hub, [])).Should().Be(expected);
}
