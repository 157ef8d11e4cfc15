using static KernelRegression.Tests.Latency.Synthetic;

namespace KernelRegression.Tests.Latency;

public sealed class MeasuredStepsTests
{
    [Fact]
    public void KernelStartIsThePostTheWebSocketAndKernelInfoOfTheCellsFirstKernel()
    {
        var measured = MeasuredSteps.Of(HealthyRun(connectMs: 600)).ToDictionary(m => m.Step);

        measured[BudgetStep.KernelStart].Value.Should().Be(TimeSpan.FromMilliseconds(300 + 600 + 60), "the kernelspecs check's later kernel is not the cell's kernel start");
        measured[BudgetStep.KernelStart].Samples.Should().Be(3);
        measured[BudgetStep.ChannelsOpen].Value.Should().Be(TimeSpan.FromMilliseconds(600));
    }

    [Fact]
    public void TheFirstExecuteIsTheCellsFirstAndTheP95IsTheNearestRankOverAllItsExecutes()
    {
        var measured = MeasuredSteps.Of(HealthyRun(firstExecuteMs: 80)).ToDictionary(m => m.Step);

        measured[BudgetStep.FirstExecute].Value.Should().Be(TimeSpan.FromMilliseconds(80));
        measured[BudgetStep.ExecuteP95].Value.Should().Be(TimeSpan.FromMilliseconds(120), "ceil(0.95 × 7) = the 7th of 7 executes");
        measured[BudgetStep.ExecuteP95].Samples.Should().Be(7);
    }

    [Fact]
    public void SpawnInterruptRestartAndServerStopAreTakenAsRecorded()
    {
        var measured = MeasuredSteps.Of(HealthyRun(spawnMs: 4200)).ToDictionary(m => m.Step, m => m.Value.TotalMilliseconds);

        measured.Should().Contain(new KeyValuePair<BudgetStep, double>(BudgetStep.Spawn, 4200));
        measured.Should().Contain(new KeyValuePair<BudgetStep, double>(BudgetStep.Interrupt, 60));
        measured.Should().Contain(new KeyValuePair<BudgetStep, double>(BudgetStep.Restart, 2500));
        measured.Should().Contain(new KeyValuePair<BudgetStep, double>(BudgetStep.ServerStop, 700));
    }

    [Fact]
    public void ARestartWhoseOpenChannelsStayedSilentIsMarkedAsReconnected()
    {
        var quiet = MeasuredSteps.Of(Steps(("execute", 40), ("restart", 2500), ("execute", 60))).Single(m => m.Step == BudgetStep.Restart);
        var silent = MeasuredSteps.Of(Steps(("execute", 40), ("kernel-connect", 300), ("kernel-ready", 50), ("restart", 10_600), ("execute", 60)))
            .Single(m => m.Step == BudgetStep.Restart);

        quiet.Mode.Should().BeNull();
        silent.Should().Be(new StepMeasure(BudgetStep.Restart, TimeSpan.FromMilliseconds(10_600), 1, StepMeasure.Reconnected));
    }

    [Fact]
    public void AKernelStartThatFollowedARelaunchCountsAllTheStudentWaitedAndIsMarkedAsRelaunched()
    {
        // The first WebSocket opened, kernel_info saw the death; the relaunch, then a new WebSocket and kernel_info.
        var steps = Steps(("spawn", 4000), ("kernel-start", 180), ("kernel-connect", 2100), ("kernel-ready", 40), ("kernel-relaunch", 850),
            ("kernel-connect", 1600), ("kernel-ready", 50), ("execute", 60));

        var measured = MeasuredSteps.Of(steps).ToDictionary(m => m.Step);

        measured[BudgetStep.KernelStart].Should().Be(new StepMeasure(BudgetStep.KernelStart, TimeSpan.FromMilliseconds(180 + 2100 + 40 + 850 + 1600 + 50), 6, StepMeasure.Relaunched));
        measured[BudgetStep.ChannelsOpen].Value.Should().Be(TimeSpan.FromMilliseconds(1600), "the WebSocket the kernel answered on");
        KernelStartShares.Of(steps, []).Select(p => p.Text).Should().Equal(
            "POST /api/kernels answered in 180 ms",
            "its first process lost the race for its ports and the server's restarter relaunched it 850 ms after the death was seen",
            "the channels WebSocket opened 1.6 s after it was requested (the server's log does not say when the kernel answered it)",
            "kernel_info_reply came 50 ms after the WebSocket opened");
    }

    [Fact]
    public void AStepThatWasNeverReachedIsNotMeasured()
    {
        var measured = MeasuredSteps.Of(Steps(("spawn", 30_000)));

        measured.Select(m => m.Step).Should().Equal(BudgetStep.Spawn);
    }
}
