namespace KernelRegression.Tests.Deployments;

/// <summary>`kr check-change` judges each cell at the base and at the head through the one judge: only a real failure at the head makes a change worse.</summary>
public sealed class ChangeJudgementTests
{
    private const string Key = "docker/hub-trixie/img-bookworm/profile-default";

    private static CellReport Report(params CheckOutcome[] checks) => new(new CellResult(SyntheticCell.Cell(Key), checks, CellEvidence.Empty));

    private static readonly CellReport Passing = Report(CheckOutcome.Pass("kernel-starts", TimeSpan.FromSeconds(1)));

    private static ChangeCheck Change(CellReport @base, CellReport head)
    {
        var values = Values.Of("singleuser:\n  image: {name: x, tag: \"1\"}\n");
        return ChangeCheck.Of(new DeploymentRun(values, [@base], "base"), new DeploymentRun(values, [head], "head"));
    }

    [Fact]
    public void AHeadWhoseChecksWereAllSkippedIsNoVerdictNotWorse()
    {
        var change = Change(Passing, Report(CheckOutcome.Skip("kernel-starts", "browser: no chromium at /usr/bin/chromium")));

        change.Worse.Select(c => c.ToString()).Should().BeEmpty("nothing ran at the head: it shows neither that the change broke the cell nor that it did not");
    }

    [Fact]
    public void AHeadThatFailsWhereTheBasePassesIsWorseEvenBesideAHarnessError()
    {
        var change = Change(Passing, Report(CheckOutcome.Fail("kernel-starts", TimeSpan.FromSeconds(1), "ModuleNotFoundError: No module named 'x'"),
            CheckOutcome.HarnessError("notebook", TimeSpan.Zero, "NullReferenceException: a bug of the harness")));

        change.Worse.Select(c => c.ToString()).Should().ContainSingle();
    }
}
