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

    [Fact]
    public void AKernelReadyLateNamesTheWebSocketThatTookTheTime()
    {
        var steps = Steps(("spawn", 2000), ("kernel-start", 1060), ("kernel-connect", 60_100), ("kernel-ready", 40));
        var trace = new LatencyTrace(User, steps, [], []);

        var cause = Explain(BudgetStep.KernelStart, 61.2, 15, trace: trace);

        cause.Should().Be("kernel ready after 61.2 s (budget 15 s): POST /api/kernels answered in 1.1 s; the channels WebSocket opened 60.1 s after it was requested; kernel_info_reply came 40 ms after that");
    }

    [Fact]
    public void ABudgetUnderATimeoutScaleSaysSo()
    {
        var verdict = new StepVerdict(BudgetStep.Restart, TimeSpan.FromSeconds(70), 1, new StepBudget(30, "default"), TimeSpan.FromSeconds(60), "restart");

        SlowPart.Explain(verdict, CellEvidence.Empty, LatencyTrace.Empty, scale: 2).Should().StartWith("restart took 70 s (budget 30 s × KR_TIMEOUT_SCALE 2 = 60 s)");
    }

    [Fact]
    public void ASlowSpawnIsToldApartFromTheHubsAndTheServersOwnLogLines()
    {
        string[] hub =
        [
            $"[I 2026-11-30 14:26:58.151 JupyterHub log:186] 201 POST /hub/api/users/{User} (kr-harness@127.0.0.1) 56.71ms",
            $"[I 2026-11-30 14:26:59.512 JupyterHub kr_container_spawner:304] Creating container kr-run1-{User} for {User}: image=kr/singleuser:bookworm",
            ContainerStarted,
            $"[I 2026-11-30 14:27:00.266 JupyterHub log:186] 202 POST /hub/api/users/{User}/server (kr-harness@127.0.0.1) 1407.81ms",
            TookToStart,
            $"[I 2026-11-30 14:27:46.012 JupyterHub users:749] Server {User} is ready",
        ];
        string[] server =
        [
            "start hook: sleeping 40 s",
            "[I 2026-11-30 14:27:40.000 SingleUserNotebookApp mixins:615] Starting jupyterhub single-user server version 3.0.0",
        ];
        var trace = new LatencyTrace(User, Steps(("spawn", 47_300)), hub, server);

        var cause = Explain(BudgetStep.Spawn, 47.3, 30, trace: trace);

        cause.Should().Be("spawn took 47.3 s (budget 30 s): the container started 1 s after the spawn request; " +
            "the server logged its first line 40.1 s after the container started; it answered the hub's HTTP check 6 s after that");
    }

    [Fact]
    public void WithoutTheServersOwnLinesTheSpawnIsCountedFromTheContainerStart()
    {
        var trace = new LatencyTrace(User, [], [ContainerStarted, TookToStart], ["no timestamps here"]);

        Explain(BudgetStep.Spawn, 48, 30, trace: trace)
            .Should().Be("spawn took 48 s (budget 30 s): the server answered the hub's HTTP check 46.1 s after the container started");
    }

    [Fact]
    public void AServerClockThatDisagreesWithTheHubsIsNotUsed()
    {
        string[] server = ["[I 2026-11-30 15:27:40.000 SingleUserNotebookApp mixins:615] Starting (an hour off: another time zone)"];

        Explain(BudgetStep.Spawn, 48, 30, trace: new LatencyTrace(User, [], [ContainerStarted, TookToStart], server))
            .Should().NotContain("first line");
    }

    [Fact]
    public void ASlowFirstExecuteSaysTheKernelWasBusyRunningTheCell()
    {
        var evidence = Timeline(
            Sent(10_000, "execute_request", "m5"),
            Got(10_025, "iopub", "status", "m5", "busy"),
            Got(10_026, "iopub", "execute_input", "m5", "import multiprocessing as mp\\nburn(2)"),
            Got(31_225, "shell", "execute_reply", "m5", "ok"),
            Got(31_230, "iopub", "status", "m5", "idle"),
            Sent(31_300, "execute_request", "m6"));

        Explain(BudgetStep.FirstExecute, 21.3, 5, evidence)
            .Should().Be("first execute took 21.3 s (budget 5 s): the kernel began it 25 ms after the request and was busy 21.2 s running `import multiprocessing as mp\\nburn(2)`");
    }

    [Fact]
    public void TheCellsCodeIsQuotedFromItsFirstLineThatIsNotAComment()
    {
        var evidence = Timeline(
            Sent(0, "execute_request", "m1"),
            Got(20, "iopub", "status", "m1", "busy"),
            Got(21, "iopub", "execute_input", "m1", "# A fixed CPU workload\\nimport subprocess, sys"),
            Got(9_000, "shell", "execute_reply", "m1", "ok"));

        Explain(BudgetStep.FirstExecute, 9, 5, evidence).Should().EndWith("running `import subprocess, sys`");
    }

    [Fact]
    public void AnExecuteThatWaitedForTheKernelToBeginItSaysSo()
    {
        var evidence = Timeline(Sent(0, "execute_request", "m1"), Got(9_000, "iopub", "status", "m1", "busy"), Got(9_040, "shell", "execute_reply", "m1", "ok"));

        Explain(BudgetStep.FirstExecute, 9.1, 5, evidence)
            .Should().Contain("the kernel began it 9 s after the request and was busy 40 ms running the cell");
    }

    [Fact]
    public void ASlowStopQuotesTheHubsAnswer()
    {
        string[] hub =
        [
            $"[I 2026-11-30 14:30:10.000 JupyterHub log:186] 202 DELETE /hub/api/users/{User}/server (kr-harness@127.0.0.1) 10012.00ms",
            $"[I 2026-11-30 14:30:13.500 JupyterHub kr_container_spawner:369] Removed container kr-run1-{User} (0123456789ab)",
        ];

        Explain(BudgetStep.ServerStop, 10.1, 8, trace: new LatencyTrace(User, [], hub, []))
            .Should().Be("server stop took 10.1 s (budget 8 s): the hub answered 202 after 10 s (the stop was still pending when the hub stopped waiting); the container was removed 13.5 s after the stop request");
    }

    [Fact]
    public void ASlowStopSaysHowTheServersContainerEnded()
    {
        string[] hub =
        [
            $"[I 2026-11-30 14:30:06.900 JupyterHub kr_container_spawner:507] Container kr-run1-{User} for {User} did not exit within its 5 s grace after SIGTERM: killed (exit code 137), 6.8 s after the stop request",
            $"[I 2026-11-30 14:30:07.100 JupyterHub log:186] 204 DELETE /hub/api/users/{User}/server (kr-harness@127.0.0.1) 7100.00ms",
        ];

        Explain(BudgetStep.ServerStop, 7.1, 5, trace: new LatencyTrace(User, [], hub, []))
            .Should().Be("server stop took 7.1 s (budget 5 s): the hub answered 204 after 7.1 s; the server's container did not exit within its 5 s grace after SIGTERM: killed (exit code 137), 6.8 s after the stop request");
    }

    [Fact]
    public void ASlowInterruptTellsTheKernelsPartFromTheServersAnswer()
    {
        var evidence = Timeline(
            Sent(20_000, "execute_request", "s1"),
            Got(20_010, "iopub", "execute_input", "s1", "import time\\ntime.sleep(600)"),
            Got(20_200, "iopub", "error", "s1", "KeyboardInterrupt: "),
            Got(20_210, "shell", "execute_reply", "s1", "error"));

        Explain(BudgetStep.Interrupt, 12, 5, evidence)
            .Should().Be("interrupt took 12 s (budget 5 s): the kernel raised KeyboardInterrupt 190 ms after the cell started, so the rest went to the server answering the interrupt request");
    }
}
