using KernelRegression.Tests.Support;
using KernelRegression.Tiers.Existing;

namespace KernelRegression.Suite.Process;

/// <summary>
/// The post-deployment check against "any hub URL plus token", proven on the process-tier hub
/// standing in for a deployed one: it connects, runs the non-destructive checks, and refuses bad input fast.
/// </summary>
public sealed class ExistingHubTests(ProcessFixture tier)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task TheNonDestructiveChecksPassOnAHealthyDeployedHub()
    {
        await using var existing = new ExistingTier(tier.Hub.HubUrl, tier.Hub.Token, tier.Run.Id);
        var checks = CheckCatalog.NonDestructive(CheckCatalog.Resolve(CheckCatalog.Standard));
        var cell = SyntheticCell.Cell("existing/hub-process/img-hub-default/profile-hub-default") with { Checks = [.. checks.Select(c => c.Name)] };
        await existing.PrepareAsync([cell], _ => { }, Ct);

        var result = await CellRunner.RunAsync(cell, await existing.DeployAsync(cell, Ct), checks, new CheckOptions { AliveWindow = TimeSpan.FromSeconds(3) }, Ct);

        checks.Should().NotContain(c => c.Destructive).And.Contain(c => c.Name == "kernel-starts");
        result.Checks.Select(c => c.Check).Should().Equal(checks.Select(c => c.Name));
        result.Checks.Should().OnlyContain(c => c.Verdict == Verdict.Passed, string.Join("; ", result.Checks));
    }

    [Fact]
    public async Task AWrongTokenIsRefusedBeforeAnyUserIsTouched()
    {
        var act = () => ExistingHub.ConnectAsync(tier.Hub.HubUrl, "not-the-token-0000", tier.Run.Id, Ct);

        (await act.Should().ThrowAsync<HubAuthException>()).Which.Fix.Should().Contain("KR_HUB_TOKEN");
    }

    [Fact]
    public async Task AMissingTokenSaysWhichVariableToSet()
    {
        var act = () => ExistingHub.ConnectAsync(tier.Hub.HubUrl, "", tier.Run.Id, Ct);

        (await act.Should().ThrowAsync<HubAuthException>()).Which.Fix.Should().Contain("KR_HUB_TOKEN");
    }

    [Fact]
    public async Task AUrlThatIsNotAHubSaysSo()
    {
        // The single-user proxy route of nobody answers with the hub's 404 page, not its API.
        var act = () => ExistingHub.ConnectAsync(new Uri(tier.Hub.HubUrl, "not-a-hub/"), tier.Hub.Token, tier.Run.Id, Ct);

        (await act.Should().ThrowAsync<HarnessException>()).Which.Message.Should().Contain("not-a-hub");
    }
}
