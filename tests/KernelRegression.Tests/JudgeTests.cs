namespace KernelRegression.Tests;

/// <summary>The one judge: a known-bad cell counts only with its cause; a harness error is never a verdict.</summary>
public sealed class JudgeTests
{
    private static readonly Expectation Incident = new(true, "server is PID 1", "https://github.com/ipython/ipykernel/pull/233", "while the server, its parent, is PID 1");

    private static CellResult Cell(params CheckOutcome[] checks) =>
        new(SyntheticCell.Cell("docker/hub-trixie/img-bookworm-pre-pr233/profile-kubespawner-pr34-command"), checks, Evidence.CellEvidence.Empty);

    private static CheckOutcome Failed(string cause) => CheckOutcome.Fail("kernel-starts", TimeSpan.FromSeconds(3), cause);

    [Fact]
    public void AKnownBadCellThatFailsWithItsCauseIsAnExpectedFailure() =>
        Judge.Decide(Incident, Cell(Failed("kernel died at start while the server, its parent, is PID 1 (`jupyterhub-singleuser`): …"))).Outcome
            .Should().Be(Outcome.ExpectedFailure);

    [Fact]
    public void AKnownBadCellThatFailsForAnotherReasonIsNotTheKnownFailure()
    {
        var j = Judge.Decide(Incident, Cell(Failed("ModuleNotFoundError: No module named 'kr_module_that_is_not_installed'")));

        j.Outcome.Should().Be(Outcome.FailedOtherCause);
        j.Outcome.MetExpectation().Should().BeFalse();
        j.Why.Should().Contain("while the server, its parent, is PID 1").And.Contain("ModuleNotFoundError");
    }

    [Fact]
    public void AKnownBadCellThatPassesIsAnUnexpectedPass() =>
        Judge.Decide(Incident, Cell(CheckOutcome.Pass("kernel-starts", TimeSpan.FromSeconds(1)))).Outcome.Should().Be(Outcome.UnexpectedPass);

    [Fact]
    public void AHarnessErrorIsNeverAVerdictEvenOnAKnownBadCell()
    {
        var result = CellResult.HarnessFailure(Cell().Cell, ["kernel-starts", "executes"], "the docker tier could not set the cell up: docker build of kr/hub failed", "…");

        Judge.Decide(Incident, result).Outcome.Should().Be(Outcome.HarnessError);
        Judge.Decide(Expectation.Pass, result).Outcome.Should().Be(Outcome.HarnessError);
        Outcome.HarnessError.MetExpectation().Should().BeFalse();
    }

    [Fact]
    public void AHealthyCellFailsOnAnyFailedCheckAndOnANotAttemptedOne()
    {
        Judge.Decide(Expectation.Pass, Cell(CheckOutcome.Pass("kernel-starts", TimeSpan.Zero), Failed("x"))).Outcome.Should().Be(Outcome.Failed);
        Judge.Decide(Expectation.Pass, Cell(CheckOutcome.NotAttempted("executes", "not attempted"))).Outcome.Should().Be(Outcome.Failed);
        Judge.Decide(Expectation.Pass, Cell(CheckOutcome.Pass("kernel-starts", TimeSpan.Zero))).Outcome.Should().Be(Outcome.Passed);
    }

    [Fact]
    public void ACellWhoseChecksAllSkippedIsSkipped() =>
        Judge.Decide(Incident, Cell(CheckOutcome.Skip("kernel-starts", "kind tier: no kind"))).Outcome.Should().Be(Outcome.Skipped);

    [Fact]
    public void TheMatrixRefusesAnExpectedFailureWithoutCauseContainsNamingItsLine()
    {
        const string yaml = """
            hubs: {trixie: {suite: trixie}}
            images: {bookworm: {suite: bookworm}}
            profiles: [default]
            expected:
              - when: {image: bookworm, profile: default}
                outcome: fail
                reason: no cause given
            """;

        var act = () => MatrixFile.Parse(yaml, "m.yaml");

        act.Should().Throw<HarnessException>().Which.Message.Should().Contain("m.yaml").And.Contain("line 5").And.Contain("cause_contains");
    }
}
