namespace KernelRegression.Tests.Judging;

/// <summary>
/// One rule for every bisect probe (kr bisect image|hub|profile and kr bisect commits), through the judge:
/// bad only on a real failure of the bad end's kind; no verdict on a harness error, a skip or another failure.
/// </summary>
public sealed class ProbeJudgeTests
{
    private const string Died = "kernel died at start while the server, its parent, is PID 1 (`jupyterhub-singleuser`)";

    private static CellReport Cell(Expectation expected, params CheckOutcome[] checks) =>
        new(new CellResult(SyntheticCell.Cell("docker/hub-trixie/img-bookworm/profile-default", expected), checks, CellEvidence.Empty));

    private static CellReport Healthy(params CheckOutcome[] checks) => Cell(Expectation.Pass, checks);

    private static CheckOutcome Pass => CheckOutcome.Pass("kernel-starts", TimeSpan.FromSeconds(1));

    private static CheckOutcome Fail(string cause) => CheckOutcome.Fail("kernel-starts", TimeSpan.FromSeconds(1), cause);

    /// <summary>A judge that has seen the bad end fail with the incident's cause.</summary>
    private static ProbeJudge AfterTheBadEnd()
    {
        var judge = new ProbeJudge();
        judge.Decide(badEnd: true, [Healthy(Fail(Died))]).Verdict.Should().Be(ProbeVerdict.Bad);
        return judge;
    }

    [Fact]
    public void AProbeWhoseCellsAllMetTheirExpectationIsGood() =>
        AfterTheBadEnd().Decide(false, [Healthy(Pass), Cell(new Expectation(true, "known", null, "PID 1"), Fail(Died))]).Verdict.Should().Be(ProbeVerdict.Good);

    [Fact]
    public void TheBadEndsKindOfFailureIsBadEvenBesideAHarnessError()
    {
        var j = AfterTheBadEnd().Decide(false, [Healthy(Fail(Died), CheckOutcome.HarnessError("notebook", TimeSpan.Zero, "a bug of ours"))]);

        j.Verdict.Should().Be(ProbeVerdict.Bad);
        j.Cause.Should().StartWith("kernel died at start");
    }

    [Fact]
    public void AKnownBadCellFailingAnotherWayIsARealFailureNotAGoodProbe() =>
        AfterTheBadEnd().Decide(false, [Cell(new Expectation(true, "known", null, "out of memory"), Fail(Died))]).Verdict.Should().Be(ProbeVerdict.Bad,
            "kr bisect commits counted only 'failed' cells: a known-bad cell failing the bad end's way was a good commit");

    [Fact]
    public void AnotherKindOfFailureAHarnessErrorOrASkipHasNoVerdict()
    {
        var judge = AfterTheBadEnd();

        judge.Decide(false, [Healthy(Fail("ModuleNotFoundError: No module named 'x'"))]).Why.Should().Contain("not the bad end's failure");
        judge.Decide(false, [Healthy(CheckOutcome.HarnessError("kernel-starts", TimeSpan.Zero, "docker build failed"))]).Verdict.Should().Be(ProbeVerdict.Skip);
        judge.Decide(false, [Healthy(CheckOutcome.Skip("kernel-starts", "no chromium"))]).Verdict.Should().Be(ProbeVerdict.Skip,
            "kr bisect image|hub|profile took any outcome but passed and harness error for bad: a skipped cell was a bad value");
    }
}
