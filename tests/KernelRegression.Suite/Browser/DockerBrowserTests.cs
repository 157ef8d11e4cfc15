using KernelRegression.Browser;
using KernelRegression.Matrix;

namespace KernelRegression.Suite.Browser;

/// <summary>
/// A student in Debian's Chromium against the docker tier: a trixie hub (JupyterHub 5.2) of its own,
/// each single-user image with the UI it really serves: the classic notebook (bookworm; trixie with
/// STACK=notebook, whose new kernels stay silent for a minute), JupyterLab (sid, whose jupyterhub brings python3-notebook 7 and jupyterlab), Notebook 7
/// (sid, with the extension Debian's package leaves off enabled), and a 404 at /tree where the server has
/// no notebook UI there (trixie's jupyter_server alone; sid as installed).
/// </summary>
public sealed class DockerBrowserTests(DockerFixture docker, BrowserHost browser)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task TheClassicNotebookOfTheTrixieImageKeepsANewNotebooksKernelSilentForAMinute()
    {
        // notebook 6.4.13 with trixie's jupyter_client 8.6: the server holds the page's kernel WebSocket
        // until its own kernel_info request is answered, and that wait runs out its 60 s ("Starting buffering"
        // in its log, 60 s after "Kernel started"; reproduced with the image alone, no hub). Every new
        // notebook a student opens sits at "Kernel starting, please wait..." for a minute.
        var run = await StudentAsync("trixie-notebook", "as-installed");

        run.Verdict.Should().Be(BrowserVerdict.Failed, run.Render());
        run.Ui!.ToString().Should().Be("classic notebook 6.4.13");
        run.FailedStep.Should().Be(BrowserStudent.KernelConnected);
        run.Cause.Should().Contain("the server did not accept the page's kernel WebSocket to /user/").And.Contain("/channels");
    }

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
