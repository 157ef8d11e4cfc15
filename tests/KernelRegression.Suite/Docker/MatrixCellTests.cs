using KernelRegression.Evidence;
using KernelRegression.Logs;
using KernelRegression.Matrix;

namespace KernelRegression.Suite.Docker;

/// <summary>
/// One row per default docker cell of fixtures/matrix.yaml: a real hub container spawns a real
/// single-user container with the cell's image and launch profile, and the six kernel checks run.
/// A healthy cell must pass every check; a known-bad cell must fail, for its recorded reason.
/// </summary>
public sealed class MatrixCellTests(DockerTier tier)
{
    public static IEnumerable<TheoryDataRow<string>> Cells()
    {
        var cells = MatrixFile.Narrow(MatrixFile.Load().DefaultCells().Where(c => c.Tier == "docker").ToList(),
            Settings.Cells);
        return cells.Select(c => new TheoryDataRow<string>(c.Id) { Label = c.Id, Timeout = (int)Deadline.Of(2700).TotalMilliseconds /* a fresh machine builds every image first (about 20 min) */ });
    }

    [Theory]
    [MemberData(nameof(Cells))]
    public async Task CellMeetsItsExpectedOutcome(string cellId)
    {
        var run = tier.MatrixRun;
        var cells = tier.Cells;
        var cell = cells.Single(c => c.Id == cellId);
        run.StartAll(cells); // every cell starts now; this row waits for its own

        var report = await run.Result(cell).WaitAsync(TestContext.Current.CancellationToken);

        foreach (var (name, text) in report.Result.Evidence)
        {
            TestContext.Current.AddAttachment(name, Secrets.Redact(text));
        }
        var verdicts = string.Join("; ", report.Result.Checks.Select(c => $"{c.Check} {c.Verdict}{(c.Cause is null ? "" : ": " + c.Cause)}"));
        if (cell.Expected.ExpectFailure)
        {
            report.Result.Passed.Should().BeFalse($"{cellId} is known-bad ({cell.Expected.Reason}, {cell.Expected.Link}); a pass means the suite no longer catches it");
            report.Result.Cause.Should().Contain(cell.Expected.CauseContains ?? "", "the failure must be the known one, not another");
        }
        else
        {
            report.Result.Checks.Should().OnlyContain(c => c.Verdict == Checks.Verdict.Passed, verdicts);
            report.Result.Checks.Select(c => c.Check).Should().BeEquivalentTo(Checks.CheckSelection.All);
        }
    }
}
