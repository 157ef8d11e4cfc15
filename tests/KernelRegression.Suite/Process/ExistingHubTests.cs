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
    [RequiresTier(typeof(BrowserProbe))]
    public async Task KrRunLogsTheBrowserInAsTheGivenUser()
    {
        // The process hub's dummy authenticator takes any name with the student password: a stand-in for a deployed hub's test account.
        var passwordFile = Path.Combine(Path.GetTempPath(), $"kr-password-{Guid.NewGuid():N}");
        await File.WriteAllTextAsync(passwordFile, tier.Hub.StudentPassword + "\n", Ct);
        var output = Path.Combine(Path.GetTempPath(), $"kr-existing-browser-{Guid.NewGuid():N}");
        var user = $"kr-given-{Guid.NewGuid():N}"[..20];
        try
        {
            var (exit, text) = await Cli.KrProcess.RunAsync(new Dictionary<string, string> { ["KR_HUB_TOKEN"] = tier.Hub.Token }, Deadline.Of(300), Ct,
                "run", "--tier", "existing", "--hub-url", tier.Hub.HubUrl.ToString(), "--checks", "kernel-starts", "--browser",
                "--user", user, "--password-file", passwordFile, "--output", output);

            exit.Should().Be(0, text);
            var browser = await File.ReadAllTextAsync(Directory.GetFiles(output, "browser.txt", SearchOption.AllDirectories).Single(), Ct);
            browser.Should().Contain("verdict: passed").And.Contain("output: 42");
            // The given account was the one that logged in and spawned; the harness leaves it as it found it otherwise.
            var account = await tier.Hub.Hub.GetUserAsync(user, Ct);
            account.Should().NotBeNull($"the browser logged in as {user}");
            account!["servers"]!.AsObject().Should().ContainKey("", "the browser started the given user's server");
            text.Should().NotContain(tier.Hub.StudentPassword);
        }
        finally
        {
            await tier.Hub.Hub.StopServerAsync(user, "", Ct);
            await tier.Hub.Hub.DeleteUserAsync(user, Ct);
            File.Delete(passwordFile);
            if (Directory.Exists(output))
            {
                Directory.Delete(output, recursive: true);
            }
        }
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
