using System.Text.Json;
using System.Text.Json.Nodes;
using KernelRegression.Matrix;

namespace KernelRegression.Suite.Scenarios;

/// <summary>
/// The scenarios of fixtures/scenarios that the process tier can stage, each made to happen for real
/// on the process-tier hub: the broken variant must be detected as broken, with its cause from evidence.
/// </summary>
public sealed class ProcessScenarioTests(ProcessTier tier)
{
    public static IEnumerable<TheoryDataRow<string>> Scenarios() =>
        Scenario.All().Where(s => s.RunsOn("process")).Select(s => new TheoryDataRow<string>(s.Name) { Label = s.Name });

    [Theory]
    [MemberData(nameof(Scenarios))]
    public async Task ScenarioIsDetectedWithItsCause(string name)
    {
        var scenario = Scenario.Load(name);
        var options = new JsonObject { ["env"] = JsonSerializer.SerializeToNode(scenario.Setup.Env) };
        var selection = new CheckSelection(new HashSet<string> { "kernel-starts", "executes", "stays-alive" }, TimeSpan.FromSeconds(3));

        var result = await CellRunner.RunAsync($"process/hub-local/scenario-{name}", tier.Hub, selection, TestContext.Current.CancellationToken, options, scenario);

        TestContext.Current.AddAttachment("facts", result.Evidence.GetValueOrDefault("facts") ?? "");
        result.Passed.Should().Be(scenario.Expected == "pass", string.Join("; ", result.Checks));
        if (scenario.Expected == "fail")
        {
            result.Cause.Should().Contain(scenario.CauseContains, "the report names the cause from evidence, not a timeout");
            result.Cause.Should().NotContain("timed out");
        }
    }

    [Fact]
    public async Task TheSameDeploymentWithoutTheScenarioIsHealthy()
    {
        var selection = new CheckSelection(new HashSet<string> { "kernel-starts", "executes", "stays-alive" }, TimeSpan.FromSeconds(3));

        var result = await CellRunner.RunAsync("process/hub-local/healthy", tier.Hub, selection, TestContext.Current.CancellationToken);

        result.Passed.Should().BeTrue(string.Join("; ", result.Checks));
    }
}
