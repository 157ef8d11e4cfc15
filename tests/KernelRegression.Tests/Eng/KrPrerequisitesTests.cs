namespace KernelRegression.Tests.Eng;

/// <summary>
/// eng/kr installs what the command needs and nothing more (eng/kr-prerequisites decides, eng/bootstrap.sh
/// installs): listing cells or checks, a plan, the help or the version, or checking a hub that is already there
/// installs nothing; it used to install dockerd, JupyterHub and Chromium, as root, for every command.
/// </summary>
public sealed class KrPrerequisitesTests
{
    [Theory]
    [InlineData("cells", "none")]
    [InlineData("cells --json --cells docker/*", "none")]
    [InlineData("checks", "none")]
    [InlineData("plan kind/hub-z2jh-4/img-sid/profile-default", "none")]
    [InlineData("--help", "none")]
    [InlineData("--version", "none")]
    [InlineData("run --help", "none")]
    [InlineData("run --tier existing --hub-url https://hub.example.org/", "none")]
    [InlineData("run --tier existing --hub-url https://hub.example.org/ --browser --user a --password-file p", "browser")]
    [InlineData("run", "process")]
    [InlineData("run --checks kernel-starts,browser", "process browser")]
    [InlineData("run --tier docker", "docker browser")]
    [InlineData("run --tier=docker --checks kernel-starts", "docker")]
    [InlineData("run --tier docker --cells docker/hub-sid/* --browser", "docker browser")]
    [InlineData("run --tier kind", "docker")]
    [InlineData("run --values deploy/common.yaml", "docker")]
    [InlineData("check-change --repo . --base main --values v.yaml", "docker")]
    [InlineData("bisect profile history --image bookworm-pre-pr233", "docker")]
    [InlineData("bench", "process")]
    [InlineData("bench --tier docker --only load", "docker")]
    public async Task EachCommandNeedsOnlyItsOwnParts(string args, string parts)
    {
        var (exit, output) = await EngScript.RunAsync("kr-prerequisites", args.Split(' '), new Dictionary<string, string> { ["KR_TIER"] = "", ["KR_VALUES"] = "" });

        exit.Should().Be(0, output);
        output.Trim().Should().Be(parts);
    }

    [Fact]
    public async Task NoCommandIsARunOnTheTierKrTierNames()
    {
        (await EngScript.RunAsync("kr-prerequisites", [], new Dictionary<string, string> { ["KR_TIER"] = "docker", ["KR_VALUES"] = "" })).Output.Trim()
            .Should().Be("docker browser");
    }
}
