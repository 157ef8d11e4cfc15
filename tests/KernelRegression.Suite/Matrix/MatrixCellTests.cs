namespace KernelRegression.Suite.Matrix;

/// <summary>
/// One row per default cell of fixtures/matrix.yaml, process and docker tiers, and per cell of the
/// operator's values when KR_VALUES names them: a real hub spawns a real
/// server with the cell's image and launch, and the cell's checks run. The judge decides: a healthy
/// cell must pass every check; a known-bad cell must fail with its known cause; a harness error is
/// never a pass.
/// </summary>
public sealed class MatrixCellTests(ProcessFixture process, DockerFixture docker)
{
    public static IEnumerable<TheoryDataRow<string>> Cells()
    {
        var matrix = MatrixFile.Load();
        return CellRows.Of(MatrixFile.Narrow([.. matrix.DefaultCells().Where(c => c.Tier == TierName.Process || c.Tier == TierName.Docker), .. SuiteValues.Cells(matrix)], Settings.Cells));
    }

    [Theory]
    [MemberData(nameof(Cells))]
    public async Task CellMeetsItsExpectedOutcome(string cellId)
    {
        var matrix = cellId.StartsWith("process/", StringComparison.Ordinal) ? process.Matrix : docker.Matrix;
        var cell = matrix.Cells.Single(c => c.Id == cellId);
        // The test output `dotnet test` shows: where the whole matrix's progress is (a cold build phase takes minutes).
        TestContext.Current.TestOutputHelper?.WriteLine($"progress of the matrix: {matrix.ProgressFile}");

        var report = await matrix.Run.Result(cell).WaitAsync(TestContext.Current.CancellationToken);

        foreach (var (name, text) in EvidenceFiles.Of(report.Result.Evidence))
        {
            TestContext.Current.AddAttachment(name, Secrets.Redact(text));
        }
        var verdicts = string.Join("; ", report.Judgement.Checks.Select(c => $"{c.Check} {c.VerdictLabel}{(c.Cause is null ? "" : ": " + c.Cause)}"));
        report.Outcome.Should().NotBe(Outcome.HarnessError, $"the harness must stand the cell up: {report.Judgement.Why}; {verdicts}");
        if (report.Outcome == Outcome.Skipped)
        {
            // Nothing ran that could show the expectation (no browser here): a skip, never a pass. Under
            // KR_REQUIRE_TIER=browser a missing browser is a harness error instead, and fails above.
            Assert.Skip(report.Judgement.Why);
        }
        if (cell.Expected.ExpectFailure)
        {
            report.Outcome.Should().Be(Outcome.ExpectedFailure,
                $"{cellId} is known-bad ({cell.Expected.Reason}, {cell.Expected.Link}) and must fail with a cause containing «{cell.Expected.CauseContains}»: {report.Judgement.Why}");
            return;
        }
        report.Outcome.Should().Be(Outcome.Passed, verdicts);
        report.Result.Checks.Select(c => c.Check).Should().Equal(cell.Checks);
        if (report.Judgement.NotRun.Count > 0)
        {
            // A check that did not run is not a pass of it: the row says what ran and what did not.
            Assert.Skip(report.Judgement.Why);
        }
    }
}
