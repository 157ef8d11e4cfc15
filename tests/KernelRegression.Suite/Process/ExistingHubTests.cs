using KernelRegression.Tiers.Existing;

namespace KernelRegression.Suite.Process;

/// <summary>
/// The post-deployment check against "any hub URL plus token", proven on the process-tier hub
/// standing in for a deployed one: it connects, runs the non-destructive checks, and refuses bad input fast.
/// </summary>
public sealed class ExistingHubTests(ProcessTier tier)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task TheNonDestructiveChecksPassOnAHealthyDeployedHub()
    {
        await using var hub = await ExistingHub.ConnectAsync(tier.Hub.HubUrl, tier.Hub.Token, tier.Run.Id, Ct);
        var selection = new CheckSelection(CheckSelection.NonDestructive.ToHashSet(), TimeSpan.FromSeconds(3));

        var result = await CellRunner.RunAsync("existing/hub-process", hub, selection, Ct);

        hub.HubVersion.Should().Be(tier.Hub.HubVersion);
        result.Checks.Select(c => c.Check).Should().BeEquivalentTo(CheckSelection.NonDestructive);
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
