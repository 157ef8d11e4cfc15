using System.Text.Json.Nodes;
using KernelRegression.Tiers.Process;

namespace KernelRegression.Suite.Faults;

/// <summary>The faults the process tier offers, on the suite's process hub. Proxy and hub restarts touch every test's routes: these take turns with nothing else.</summary>
[Collection(nameof(ProcessFaults))]
public sealed class ProcessFaultTests(ProcessFixture tier) : FaultTheory
{
    public static IEnumerable<TheoryDataRow<string>> Faults => RowsFor(typeof(ProcessHub));

    protected override Task<(IHubDeployment Hub, JsonObject? Options)> DeploymentAsync() =>
        Task.FromResult<(IHubDeployment, JsonObject?)>((tier.Hub, null));
}

/// <summary>Tests that restart the shared process hub or its proxy, or crowd it, run alone.</summary>
[CollectionDefinition(nameof(ProcessFaults), DisableParallelization = true)]
public sealed class ProcessFaults;
