using static KernelRegression.Tests.Latency.Synthetic;

namespace KernelRegression.Tests.Latency;

/// <summary>Steps measured against their budgets (Latency/BudgetedSteps), and what the judge makes of an overrun (Judging/BudgetOverruns).</summary>
public sealed class BudgetedStepsTests
{
    private static readonly IReadOnlyList<ICheck> Standard = CheckCatalog.Resolve(CheckCatalog.Standard);

    private static CellResult Passed(StepBudgets budgets, Expectation? expected = null, IReadOnlyList<CheckOutcome>? outcomes = null) =>
        new(SyntheticCell.Cell("docker/hub-trixie/img-bookworm/profile-default", expected) with { Budgets = budgets },
            outcomes ?? [.. Standard.Select(c => CheckOutcome.Pass(c.Name, TimeSpan.FromSeconds(1), "fine"))], CellEvidence.Empty);

    private static readonly StepBudgets Generous = Budgets(("spawn", 30), ("kernel-start", 20), ("channels-open", 15), ("first-execute", 5),
        ("execute-p95", 5), ("interrupt", 5), ("restart", 30), ("server-stop", 20));

    private static CellResult Measured(CellResult result, IReadOnlyList<StepTiming> steps, double scale = 1, IReadOnlyList<ICheck>? checks = null) =>
        result.MeasuredAgainstBudgets(checks ?? Standard, new LatencyTrace(User, steps, [], []), scale);

    [Fact]
    public void ACellWithinItsBudgetsPassesAndEveryStepIsMeasured()
    {
        var result = Measured(Passed(Generous), HealthyRun());

        Judge.Decide(result).Outcome.Should().Be(Outcome.Passed);
        result.Latency!.Steps.Select(s => s.Step).Should().Equal(BudgetStep.All);
        result.Latency.OverBudget.Should().BeEmpty();
        result.Evidence.Steps.Should().Contain(s => s.Step == "server-stop", "the stop, recorded after the evidence was collected, joins the cell's timings");
    }

    [Fact]
    public void ASlowKernelFailsTheCheckThatStartedItWithTheSlowPartNamed()
    {
        var steps = Steps(("spawn", 2000), ("kernel-start", 200), ("kernel-connect", 45_000), ("kernel-ready", 40), ("execute", 80), ("server-stop", 500));

        var result = Measured(Passed(Generous), steps);
        var j = Judge.Decide(result);

        result.Checks.Should().OnlyContain(c => c.Passed, "the measurement keeps what each check saw");
        var starts = j.Checks.Single(c => c.Check == "kernel-starts");
        starts.Passed.Should().BeFalse();
        starts.Cause.Should().Be("kernel ready after 45.2 s (budget 20 s); over its share: the channels WebSocket opened 45 s after it was requested " +
            "(the server's log does not say when the kernel answered it) (its share 12 s); within theirs: POST /api/kernels answered in 200 ms; " +
            "kernel_info_reply came 40 ms after the WebSocket opened; also over budget: channels WebSocket open 45 s (budget 15 s)");
        starts.Detail.Should().Be("passed, but over budget (fine)");
        j.Checks.Where(c => c.Check != "kernel-starts").Should().OnlyContain(c => c.Passed);
        j.Outcome.Should().Be(Outcome.Failed);
        j.Why.Should().Be(starts.Cause);
    }

    [Fact]
    public void ASlowFirstExecuteFailsExecutesAndTheScenarioCountsAsCaught()
    {
        var steps = Steps(("spawn", 2000), ("kernel-start", 200), ("kernel-connect", 500), ("kernel-ready", 40), ("execute", 21_300), ("execute", 60));
        var expected = new Expectation(true, "a kernel under a tight CPU limit", null, "first execute took");

        var j = Judge.Decide(Measured(Passed(Generous, expected), steps));

        j.Checks.Single(c => c.Check == "executes").Cause.Should().StartWith("first execute took 21.3 s (budget 5 s); also over budget: execute p95 21.3 s (budget 5 s)");
        j.Outcome.Should().Be(Outcome.ExpectedFailure);
    }

    [Fact]
    public void ASlowSpawnAndAServerStopAreOwnedByTheCheckThatBroughtTheServerUp()
    {
        var steps = Steps(("spawn", 45_000), ("kernel-start", 200), ("kernel-connect", 500), ("kernel-ready", 40), ("server-stop", 25_000));

        var result = Measured(Passed(Generous), steps);

        Judge.Decide(result).Checks.Single(c => c.Check == "kernel-starts").Cause.Should().StartWith("spawn took 45 s (budget 30 s)")
            .And.EndWith("also over budget: server stop 25 s (budget 20 s)");
        result.Latency!.OverBudget.Select(v => v.Owner).Should().Equal("kernel-starts", "kernel-starts");
    }

    [Fact]
    public void ACheckThatAlreadyFailedKeepsItsOwnCause()
    {
        var outcomes = Standard.Select(c => c.Name == "restart"
            ? CheckOutcome.Fail("restart", TimeSpan.FromSeconds(40), "after restart the old variable gave ok")
            : CheckOutcome.Pass(c.Name, TimeSpan.FromSeconds(1))).ToList();
        var steps = Steps(("spawn", 2000), ("restart", 40_000));

        var result = Measured(Passed(Generous, outcomes: outcomes), steps);

        Judge.Decide(result).Checks.Single(c => c.Check == "restart").Cause.Should().Be("after restart the old variable gave ok");
        result.Latency![BudgetStep.Restart]!.Completed.Should().BeFalse("its time is a time to failure, not a restart's");
        result.Latency[BudgetStep.Restart]!.Over.Should().BeFalse();
    }

    [Fact]
    public void WithoutBudgetsStepsAreMeasuredButNothingIsJudged()
    {
        var result = Measured(Passed(StepBudgets.None), Steps(("spawn", 600_000), ("kernel-start", 200)));

        Judge.Decide(result).Outcome.Should().Be(Outcome.Passed);
        result.Latency!.Steps.Should().HaveCount(2).And.OnlyContain(s => s.Limit == null && !s.Over);
    }

    [Fact]
    public void AStepWhoseCheckWasNotInTheCellIsNotJudged()
    {
        var checks = CheckCatalog.Resolve(["kernel-starts", "executes"]);
        var outcomes = checks.Select(c => CheckOutcome.Pass(c.Name, TimeSpan.FromSeconds(1))).ToList();

        var result = Measured(Passed(Generous, outcomes: outcomes), Steps(("spawn", 2000), ("restart", 90_000)), checks: checks);

        Judge.Decide(result).Outcome.Should().Be(Outcome.Passed);
        result.Latency![BudgetStep.Restart]!.Owner.Should().BeNull();
    }

    [Fact]
    public void TheTimeoutScaleWidensEveryBudget() =>
        Judge.Decide(Measured(Passed(Generous), Steps(("spawn", 45_000)), scale: 2)).Outcome.Should().Be(Outcome.Passed, "45 s is within 30 s × 2");
}
