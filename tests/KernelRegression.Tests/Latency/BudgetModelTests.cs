namespace KernelRegression.Tests.Latency;

public sealed class BudgetModelTests
{
    private const string Axes = """
        hubs:
          trixie: {suite: trixie}
          sid: {suite: sid}
        images:
          bookworm: {suite: bookworm}
          sid: {suite: sid}
        profiles: [default, slow-start]
        scenarios: [healthy, broken-kernelspec]
        default:
          - tier: docker
            hub: [trixie, sid]
            image: [bookworm, sid]
            profile: [default, slow-start]
        """;

    private static MatrixFile Matrix(string budgets) => MatrixFile.Parse(Axes + "\n" + budgets, "budgets.yaml");

    private const string Layered = """
        budgets:
          defaults: {spawn: 30, kernel-start: 20, first-execute: 5}
          tiers:
            docker: {spawn: 40}
          hubs:
            sid: {spawn: 50}
          images:
            sid: {kernel-start: 25}
          profiles:
            slow-start: {spawn: 90}
          cells:
            "docker/hub-sid/img-sid/*": {first-execute: 7}
            "*/profile-slow-start": {kernel-start: 45}
        """;

    [Fact]
    public void DefaultsAreOverriddenByTierHubImageProfileAndCellInThatOrder()
    {
        var m = Matrix(Layered);

        var plain = m.Cell("docker", "trixie", "bookworm", "default").Budgets;
        var sid = m.Cell("docker", "sid", "sid", "default").Budgets;
        var slow = m.Cell("docker", "sid", "sid", "slow-start").Budgets;

        plain[BudgetStep.Spawn].Should().Be(new StepBudget(40, "tier docker"));
        plain[BudgetStep.KernelStart].Should().Be(new StepBudget(20, "default"));
        sid[BudgetStep.Spawn].Should().Be(new StepBudget(50, "hub sid"));
        sid[BudgetStep.KernelStart].Should().Be(new StepBudget(25, "image sid"));
        sid[BudgetStep.FirstExecute].Should().Be(new StepBudget(7, "cells docker/hub-sid/img-sid/*"));
        slow[BudgetStep.Spawn].Should().Be(new StepBudget(90, "profile slow-start"));
        slow[BudgetStep.KernelStart].Should().Be(new StepBudget(45, "cells */profile-slow-start"));
    }

    [Fact]
    public void TheCommandLineWinsOverTheMatrix()
    {
        var cell = Matrix(Layered).Cell("docker", "sid", "sid", "slow-start");

        var budgets = cell.Budgets.With(StepBudgets.ParseCommandLine(["spawn=12.5", "restart=45"]), "command line");

        budgets[BudgetStep.Spawn].Should().Be(new StepBudget(12.5, "command line"));
        budgets[BudgetStep.Restart].Should().Be(new StepBudget(45, "command line"));
        budgets[BudgetStep.KernelStart]!.Seconds.Should().Be(45);
    }

    [Fact]
    public void TheLimitIsTheBudgetScaledByTheTimeoutScale()
    {
        var budgets = StepBudgets.None.With(new Dictionary<string, double> { ["spawn"] = 30 }, "default");

        budgets.Limit(BudgetStep.Spawn, scale: 1).Should().Be(TimeSpan.FromSeconds(30));
        budgets.Limit(BudgetStep.Spawn, scale: 2.5).Should().Be(TimeSpan.FromSeconds(75));
        budgets.Limit(BudgetStep.Restart, scale: 2).Should().BeNull("a step without a budget is never judged");
    }

    [Fact]
    public void AnUnknownStepInTheMatrixIsAnErrorThatListsTheKnownOnes()
    {
        var act = () => Matrix("budgets:\n  defaults: {spwan: 30}\n");

        act.Should().Throw<HarnessException>()
            .Where(e => e.What.Contains("budgets.defaults names an unknown step 'spwan'", StringComparison.Ordinal)
                && e.Fix.Contains("spawn, kernel-start, channels-open", StringComparison.Ordinal));
    }

    [Fact]
    public void AnOverrideForAHubTheMatrixDoesNotDeclareIsAnError()
    {
        var act = () => Matrix("budgets:\n  hubs:\n    bullseye: {spawn: 30}\n");

        act.Should().Throw<HarnessException>().Where(e => e.What.Contains("budgets.hubs names hub 'bullseye'", StringComparison.Ordinal));
    }

    [Fact]
    public void ABudgetOfZeroSecondsIsAnError()
    {
        var act = () => Matrix("budgets:\n  tiers:\n    docker: {restart: 0}\n");

        act.Should().Throw<HarnessException>().Where(e => e.What.Contains("budgets.tiers.docker.restart is 0", StringComparison.Ordinal));
    }

    [Fact]
    public void ABaselineThatCouldNeverFlagIsAnError()
    {
        var act = () => Matrix("budgets:\n  baseline: {factor: 1}\n");

        act.Should().Throw<HarnessException>().Where(e => e.What.Contains("budgets.baseline", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("spawn")]
    [InlineData("spawn=")]
    [InlineData("spawn=-3")]
    [InlineData("=30")]
    public void AMalformedCommandLineBudgetIsAnErrorThatNamesIt(string item)
    {
        var act = () => StepBudgets.ParseCommandLine([item]);

        act.Should().Throw<HarnessException>().Where(e => e.What.Contains($"--budget '{item}' is not STEP=SECONDS", StringComparison.Ordinal));
    }

    [Fact]
    public void ACommandLineBudgetForAnUnknownStepNamesTheKnownOnes()
    {
        var act = () => StepBudgets.ParseCommandLine(["kernel=30"]);

        act.Should().Throw<HarnessException>().Where(e => e.What.Contains("unknown budget step 'kernel'", StringComparison.Ordinal));
    }

    [Fact]
    public void EveryDefaultCellOfTheRepositoryMatrixHasABudgetForEveryStep()
    {
        var cells = MatrixFile.Load(FixturePaths.Of("matrix.yaml")).DefaultCells();

        cells.Should().NotBeEmpty();
        foreach (var cell in cells)
        {
            BudgetStep.All.Where(s => cell.Budgets[s] is null).Should().BeEmpty($"{cell.Id} should have a budget for every step");
        }
    }
}
