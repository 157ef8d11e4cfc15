using KernelRegression.Faults;

namespace KernelRegression.Tests.Judging;

/// <summary>Fault rows are judged, with their expectations as data (Faults/FaultExpectation): a detection is a measurement with a bound, and one not made fails the row.</summary>
public sealed class FaultJudgementTests
{
    private static readonly FaultExpectation Freeze = FaultExpectation.Of("freeze-kernel");

    private static FaultEvidence Frozen(TimeSpan? detected, string by = "no kernel_info_reply within 2 s: seen 0.0 s after the fault took effect (2.0 s after it began, its action took 2.0 s; probe 1)", string after = "'thawed'") =>
        new("freeze-kernel", detected, by, TimeSpan.FromSeconds(0.1), after);

    [Fact]
    public void AFaultSeenWithinItsBoundAsExpectedPasses() =>
        Judge.Fault(Freeze, Frozen(TimeSpan.FromSeconds(2))).Outcome.Should().Be(Outcome.Passed);

    [Fact]
    public void AFaultNotSeenFailsItsRowSayingSo()
    {
        var j = Judge.Fault(Freeze, Frozen(null, "answered throughout (60 probes over 10.0 s, the fault's action took 0.0 s)"));

        j.Outcome.Should().Be(Outcome.Failed);
        j.Why.Should().StartWith("freeze-kernel not seen: answered throughout");
    }

    [Fact]
    public void AFaultSeenLaterThanItsBoundFailsItsRow()
    {
        var j = Judge.Fault(Freeze, Frozen(Freeze.DetectWithin + TimeSpan.FromSeconds(1)));

        j.Outcome.Should().Be(Outcome.Failed);
        j.Why.Should().Contain("seen only").And.Contain("bound");
    }

    [Fact]
    public void AFaultSeenAnotherWayOrAWrongAnswerAfterItFailsItsRow()
    {
        Judge.Fault(Freeze, Frozen(TimeSpan.FromSeconds(2), by: "the server's status not answered within 2 s")).Why.Should().Contain("not as expected");
        Judge.Fault(Freeze, Frozen(TimeSpan.FromSeconds(2), after: "status=error result=- error=NameError")).Why.Should().Contain("a student got");
    }

    [Fact]
    public void ADeploymentThatDoesNotComeBackInTimeFailsTheRowsThatMeasureIt()
    {
        var proxy = FaultExpectation.Of("restart-proxy");
        var slow = new FaultEvidence("restart-proxy", TimeSpan.FromSeconds(0.1), "the server's status through the proxy not answered within 1 s: seen", proxy.RecoverWithin + TimeSpan.FromSeconds(1), "'routed'");

        Judge.Fault(proxy, slow).Why.Should().Contain("back only");
        Judge.Fault(proxy, slow with { Recovered = null }).Why.Should().Contain("back only never");
    }

    [Fact]
    public void AnErrorUnderTheFaultIsTheDeploymentsFailureUnlessTheHarnessBroke()
    {
        var died = new KernelDiedException("k1", "dead", TimeSpan.FromSeconds(1), "ModuleNotFoundError: No module named 'x'", "");
        var broken = new HarnessFaultException("docker exec into the server failed: no such container", "report it");

        Judge.Fault(Freeze, null, died).Outcome.Should().Be(Outcome.Failed);
        Judge.Fault(Freeze, null, broken).Outcome.Should().Be(Outcome.HarnessError);
        Judge.Fault(Freeze, null, new InvalidOperationException("a bug of ours")).Outcome.Should().Be(Outcome.HarnessError, "a bug of ours is never a verdict");
    }

    [Fact]
    public void ACrowdFailsOnAStudentTheDeploymentFailedAndSaysAHarnessErrorBesideIt()
    {
        CrowdMember Fine(string name) => new(name, TimeSpan.FromSeconds(3), TimeSpan.FromSeconds(1), TimeSpan.FromMilliseconds(80), null);
        var failed = new CrowdMember("crowd-2", TimeSpan.Zero, TimeSpan.Zero, TimeSpan.Zero, "spawn of crowd-2's server failed: 500");
        var broken = new CrowdMember("crowd-3", TimeSpan.Zero, TimeSpan.Zero, TimeSpan.Zero, null) { HarnessError = "NullReferenceException: a bug of ours" };

        Judge.Crowd(3, [Fine("crowd-1"), Fine("crowd-2"), Fine("crowd-3")]).Outcome.Should().Be(Outcome.Passed);
        var both = Judge.Crowd(3, [Fine("crowd-1"), failed, broken]);
        both.Outcome.Should().Be(Outcome.Failed);
        both.Why.Should().Contain("spawn of crowd-2's server failed").And.Contain("harness error beside it");
        Judge.Crowd(3, [Fine("crowd-1"), Fine("crowd-2"), broken]).Outcome.Should().Be(Outcome.HarnessError, "a harness error is never a verdict on the deployment");
    }
}
