namespace KernelRegression.Tests.Latency;

public sealed class SlowScenarioTests
{
    private static readonly IReadOnlyList<MatrixCell> Cells = MatrixFile.Load(FixturePaths.Of("matrix.yaml")).DefaultCells();

    [Theory]
    [InlineData("slow-server-start", "over its share: the server logged its first line")]
    [InlineData("slow-kernel-start", "over its share: the kernel took")]
    [InlineData("slow-execute-cpu-limit", "throttled by its CPU limit")]
    public void EachSlowCaseIsADefaultDockerCellExpectedToFailWithItsSlowPartBesideAControlThatMustPass(string scenario, string causeContains)
    {
        var slow = Cells.Where(c => c.Scenario == scenario).ToList();
        var control = Cells.Where(c => c.Scenario == scenario + "-control").ToList();

        slow.Should().Contain(c => c.Tier == "docker");
        slow.Should().OnlyContain(c => c.Expected.ExpectFailure && c.Expected.CauseContains == causeContains && c.Expected.Link != null);
        control.Select(c => c.Id.Replace("-control", "", StringComparison.Ordinal)).Should().BeEquivalentTo(slow.Select(c => c.Id), "every slow cell has its control, and only those");
        control.Should().OnlyContain(c => !c.Expected.ExpectFailure);
    }

    [Fact]
    public void TheSlowKernelAlsoRunsOnTheProcessTier()
    {
        Cells.Select(c => c.Id).Should().Contain(["process/hub-host/img-host/profile-host/scenario-slow-kernel-start", "process/hub-host/img-host/profile-host/scenario-slow-kernel-start-control"]);
    }

    [Fact]
    public void TheCpuScenarioLimitsTheServerAndTheServerStartScenarioDelaysItsStartHook()
    {
        var limited = Scenario.Load("slow-execute-cpu-limit").Apply(LaunchProfile.Resolve("default"));
        var delayed = Scenario.Load("slow-server-start").Apply(LaunchProfile.Resolve("start-hook"));
        var prompt = Scenario.Load("slow-server-start-control").Apply(LaunchProfile.Resolve("start-hook"));

        limited.CpuLimit.Should().Be(0.03);
        delayed.Env.Should().Contain("KR_START_HOOK_SLEEP", "100");
        prompt.Env.Should().Contain("KR_START_HOOK_SLEEP", "0");
        delayed.Command.Should().NotBeNull().And.Contain(c => c.Contains("exec /usr/local/bin/start-singleuser.sh", StringComparison.Ordinal));
    }

    [Fact]
    public void TheSlowCasesExceedTheirBudgetsByConstruction()
    {
        // The delays the scenarios add, against the budgets their cells are judged by (unscaled).
        var hook = double.Parse(Scenario.Load("slow-server-start").Setup.Env["KR_START_HOOK_SLEEP"], System.Globalization.CultureInfo.InvariantCulture);
        var kernelSpec = Scenario.Load("slow-kernel-start").UserFiles().Single().Content;
        var sleep = double.Parse(System.Text.RegularExpressions.Regex.Match(kernelSpec, @"sleep (\d+);").Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture);

        Cells.Where(c => c.Scenario == "slow-server-start").Should().OnlyContain(c => c.Budgets[BudgetStep.Spawn]!.Seconds * 1.4 < hook);
        Cells.Where(c => c.Scenario == "slow-kernel-start").Should().OnlyContain(c => c.Budgets[BudgetStep.KernelStart]!.Seconds * 1.3 < sleep);
    }
}
