namespace KernelRegression.Tests.Judging;

/// <summary>The one judge: a known-bad cell counts only with its cause; a harness error is never a verdict.</summary>
public sealed class JudgeTests
{
    private static readonly Expectation Incident = new(true, "server is PID 1", "https://github.com/ipython/ipykernel/pull/233", "while the server, its parent, is PID 1");

    private static CellResult Cell(params CheckOutcome[] checks) =>
        new(SyntheticCell.Cell("docker/hub-trixie/img-bookworm-pre-pr233/profile-kubespawner-pr34-command"), checks, KernelRegression.Evidence.CellEvidence.Empty);

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
    public void AHarnessErrorBesideARealFailureFailsTheCellAndIsShownBesideIt()
    {
        // Given a cell whose kernel failed for real while another check met a bug of the harness
        var result = Cell(Failed("ModuleNotFoundError: No module named 'kr_module_that_is_not_installed'"),
            CheckOutcome.HarnessError("notebook", TimeSpan.FromSeconds(1), "NullReferenceException: a bug of the harness"));

        // When
        var j = Judge.Decide(Expectation.Pass, result);

        // Then the real failure decides, and the harness error is not hidden either
        j.Outcome.Should().Be(Outcome.Failed);
        j.Why.Should().Contain("ModuleNotFoundError").And.Contain("harness error beside it").And.Contain("NullReferenceException");
    }

    [Fact]
    public void AKnownBadCellWhoseChecksWereAllSkippedDoesNotMeetItsExpectation()
    {
        var j = Judge.Decide(Incident, Cell(CheckOutcome.Skip("kernel-starts", "kind tier: no kind")));

        j.Outcome.MetExpectation().Should().BeFalse("nothing ran that could show the bug is still caught");
        j.Why.Should().Contain("kind tier: no kind");
    }

    [Fact]
    public void AKnownBadCellWhoseOtherChecksPassedBesideASkippedOneIsSkippedNotAnUnexpectedPass()
    {
        // Given the page's files missing: only the browser catches it, and there was no browser
        var result = Cell(CheckOutcome.Pass("kernel-starts", TimeSpan.FromSeconds(1)), CheckOutcome.Skip("browser", "browser: no chromium at /usr/bin/chromium"));

        var j = Judge.Decide(new Expectation(true, "the front end's files are missing", null, "main.min.js: 404"), result);

        j.Outcome.Should().Be(Outcome.Skipped);
        j.Outcome.MetExpectation().Should().BeFalse();
        j.Why.Should().Contain("browser").And.Contain("no chromium");
    }

    [Theory]
    [InlineData("")]
    [InlineData(" ")]
    public void ABlankCauseContainsNeverCountsAsCaught(string blank) =>
        Judge.Decide(new Expectation(true, "a rule with no words", null, blank), Cell(Failed("anything at all"))).Outcome
            .Should().Be(Outcome.FailedOtherCause);

    [Fact]
    public void AHealthyCellWithASkippedCheckPassesAndNamesWhatDidNotRun()
    {
        var j = Judge.Decide(Expectation.Pass, Cell(CheckOutcome.Pass("kernel-starts", TimeSpan.FromSeconds(1)), CheckOutcome.Skip("browser", "browser: no chromium at /usr/bin/chromium")));

        j.Outcome.Should().Be(Outcome.Passed);
        j.Why.Should().Contain("not run: browser (browser: no chromium at /usr/bin/chromium)");
    }

    [Fact]
    public void AnUnexpectedPassIsWordedOnceForTheConsoleTheJsonAndTheMarkdown()
    {
        var report = new CellReport(Cell(CheckOutcome.Pass("kernel-starts", TimeSpan.FromSeconds(1))) with { Cell = SyntheticCell.Cell("docker/hub-trixie/img-bookworm-pre-pr233/profile-kubespawner-pr34-command", Incident) });
        using var folder = new TempDir("kr-judge-wording-");

        var md = RunReport.Write(folder.FullName, "r", "docker", [report], TimeSpan.FromSeconds(1));

        report.Outcome.Should().Be(Outcome.UnexpectedPass);
        report.OneLineCause.Should().Be(report.Judgement.Why);
        md.Should().Contain(report.Judgement.Why);
    }

    [Fact]
    public void ABudgetOverrunIsJudgedByTheJudgeTheChecksStayAsObserved()
    {
        // Given a cell whose checks all passed, and whose kernel took 45 s to answer against a 20 s budget
        var checks = CheckCatalog.Resolve(["kernel-starts", "executes"]);
        var cell = SyntheticCell.Cell("docker/hub-trixie/img-bookworm/profile-default") with
        {
            Budgets = StepBudgets.None.With(new Dictionary<string, double> { ["kernel-start"] = 20 }, "default"),
        };
        var observed = new CellResult(cell, [.. checks.Select(c => CheckOutcome.Pass(c.Name, TimeSpan.FromSeconds(1), "fine"))], CellEvidence.Empty);
        var steps = new[] { ("spawn", 2000.0), ("kernel-start", 200.0), ("kernel-connect", 45_000.0), ("kernel-ready", 40.0) }
            .Select(s => new StepTiming(s.Item1, TimeSpan.FromMilliseconds(s.Item2))).ToList();

        // When its steps are measured, then judged
        var measured = observed.MeasuredAgainstBudgets(checks, new LatencyTrace("student-ab12cd34", steps, [], []), scale: 1);
        var j = Judge.Decide(measured);

        // Then the observation is kept as seen, and the judge fails the cell with the slow part named
        measured.Checks.Should().OnlyContain(c => c.Verdict == Verdict.Passed, "a measurement never rewrites what a check saw");
        j.Outcome.Should().Be(Outcome.Failed);
        j.Why.Should().StartWith("kernel ready after 45.2 s (budget 20 s)");
    }

    [Fact]
    public void ARunExitsOneOnARealFailureEvenBesideAHarnessErrorThreeOnAHarnessErrorAloneAndNeverZeroOnSkipsAlone()
    {
        var failed = new CellReport(Cell(Failed("ModuleNotFoundError: No module named 'x'")) with { Cell = SyntheticCell.Cell("docker/hub-trixie/img-bookworm/profile-default") });
        var broken = new CellReport(CellResult.HarnessFailure(SyntheticCell.Cell("docker/hub-sid/img-sid/profile-default"), ["kernel-starts"], "docker build failed", ""));
        var skippedKnownBad = new CellReport(Cell(CheckOutcome.Skip("kernel-starts", "kind tier: no kind")) with { Cell = SyntheticCell.Cell("kind/hub-z2jh-4/img-bookworm-pre-pr233/profile-kubespawner-pr34-command", Incident) });
        var passed = new CellReport(Cell(CheckOutcome.Pass("kernel-starts", TimeSpan.FromSeconds(1))) with { Cell = SyntheticCell.Cell("docker/hub-trixie/img-trixie/profile-default") });

        Judge.Run([[failed, broken]]).ExitCode.Should().Be(1);
        Judge.Run([[failed, broken]]).Why.Should().Contain("the harness also broke");
        Judge.Run([[passed, broken]]).ExitCode.Should().Be(3);
        Judge.Run([[skippedKnownBad]]).ExitCode.Should().Be(1, "a known-bad cell that could not run does not show the bug is still caught");
        Judge.Run([[passed]]).ExitCode.Should().Be(0);
        Judge.Run([[passed], [failed with { Result = failed.Result with { Cell = passed.Result.Cell } }]]).ExitCode.Should().Be(1, "met in one run and not in another: flaky, never passed");
        Judge.Run([[passed]], strictLatency: true, slowerThanUsual: 1).ExitCode.Should().Be(1);
    }

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
