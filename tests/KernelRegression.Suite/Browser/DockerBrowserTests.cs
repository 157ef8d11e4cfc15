using KernelRegression.Browser;

namespace KernelRegression.Suite.Browser;

/// <summary>
/// A student in Debian's Chromium against the docker tier (a trixie hub of its own), on images whose
/// server offers no notebook UI at /tree (trixie's jupyter_server alone; sid as installed, where Debian
/// leaves Notebook 7's extension off): the cause names the 404. The UI generations that work are the
/// matrix's browser cells (BrowserCellTests).
/// </summary>
[RequiresTier(typeof(DockerTierProbe))]
[RequiresTier(typeof(BrowserProbe))]
public sealed class DockerBrowserTests(DockerFixture docker, BrowserHost browser)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Theory]
    [InlineData("trixie")] // jupyter_server alone: no front end installed (no recommends)
    [InlineData("sid")]    // Notebook 7 installed but its extension not enabled by Debian's package; /lab works
    public async Task AnImageWhoseServerHasNoNotebookUiAtTreeShowsTheStudentA404(string image)
    {
        var run = await StudentAsync(image, "as-installed");

        run.Verdict.Should().Be(BrowserVerdict.Failed, run.Render());
        run.FailedStep.Should().Be(BrowserStudent.UiLoaded);
        run.Cause.Should().StartWith("the server offers no notebook UI: tree: 404");
    }

    /// <summary>A browser student on the "browser" hub (trixie, a hub of its own) with the image as the matrix declares it.</summary>
    private async Task<BrowserRun> StudentAsync(string imageName, string frontend)
    {
        var host = await browser.HostAsync(Ct);
        var tier = docker.Tier;
        var hub = await tier.HubAsync(docker.MatrixFile.Hub("trixie") with { Name = "browser" }, Ct);
        var image = await tier.Images.SingleUserAsync(docker.MatrixFile.Image(imageName) with { Frontend = frontend }, Ct);
        await using var student = Student.Create(hub, Student.NewName("browser"));
        await hub.AssignLaunchAsync(student.Name, hub.UserOptions(image, LaunchProfile.Resolve("default")), Ct);
        var run = await BrowserStudent.RunAsync(host, hub.HubUrl, student.Name, hub.StudentPassword, browser.OptionsFor($"{imageName}-{frontend}"), Ct);
        BrowserEvidence.Attach(run);
        return run;
    }
}
