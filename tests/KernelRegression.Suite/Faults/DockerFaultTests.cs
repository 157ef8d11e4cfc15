using System.Text.Json.Nodes;

namespace KernelRegression.Suite.Faults;

/// <summary>The faults the docker tier offers, on a hub of their own (hub trixie, image bookworm, default launch): killing its proxy must not break the matrix cells running beside them.</summary>
[RequiresTier(typeof(DockerTierProbe))]
public sealed class DockerFaultTests(DockerFixture docker) : FaultTheory
{
    public static IEnumerable<TheoryDataRow<string>> Faults => RowsFor(typeof(DockerHub));

    protected override async Task<(IHubDeployment Hub, JsonObject? Options)> DeploymentAsync()
    {
        var tier = docker.Tier;
        var hub = await tier.HubAsync(docker.MatrixFile.Hub("trixie") with { Name = "faults" }, Ct);
        var image = await tier.Images.SingleUserAsync(docker.MatrixFile.Image("bookworm"), Ct);
        return (hub, hub.UserOptions(image, LaunchProfile.Resolve("default")));
    }
}
