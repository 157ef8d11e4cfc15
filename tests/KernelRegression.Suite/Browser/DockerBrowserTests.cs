using KernelRegression.Browser;
using KernelRegression.Matrix;
using KernelRegression.Suite.Docker;

namespace KernelRegression.Suite.Browser;

/// <summary>
/// A student in Debian's Chromium against the docker tier: a trixie hub (JupyterHub 5.2) of its own,
/// each single-user image with the UI it really serves: the classic notebook (bookworm; trixie with
/// STACK=notebook, whose new kernels stay silent for a minute), JupyterLab (sid, whose jupyterhub brings python3-notebook 7 and jupyterlab), Notebook 7
/// (sid, with the extension Debian's package leaves off enabled), and a 404 at /tree where the server has
/// no notebook UI there (trixie's jupyter_server alone; sid as installed).
/// </summary>
public sealed class DockerBrowserTests(DockerTier tier, BrowserHost browser)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task AStudentRunsACellInTheClassicNotebookOfTheBookwormImage()
    {
        var run = await StudentAsync("bookworm", "as-installed");

        ShouldPass(run, UiGeneration.ClassicNotebook, "6.4.12");
    }

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

    [Fact]
    public async Task AStudentRunsACellInNotebook7OfTheSidImage()
    {
        // Debian's python3-notebook 7 leaves its jupyter_server extension off (see the Dockerfile's end).
        var run = await StudentAsync("sid", "notebook7");

        ShouldPass(run, UiGeneration.Notebook7, "7.4");
    }

    [Fact]
    public async Task AStudentRunsACellInJupyterLabOfTheSidImage()
    {
        var run = await StudentAsync("sid", "as-installed", defaultUrl: "/lab");

        ShouldPass(run, UiGeneration.JupyterLab, "4.4");
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

    private async Task<BrowserRun> StudentAsync(string imageName, string frontend, string? defaultUrl = null)
    {
        var host = await browser.HostAsync(Ct);
        var (hub, options) = await BrowserDeployment.DockerAsync(tier, imageName, frontend, defaultUrl, Ct);
        await using var student = Student.Create(hub, Student.NewName("browser"));
        return await BrowserDeployment.StudentAsync(host, hub, student, options, browser.OptionsFor($"{imageName}-{frontend}"), Ct);
    }

    internal static void ShouldPass(BrowserRun run, string ui, string versionPrefix)
    {
        run.Verdict.Should().Be(BrowserVerdict.Passed, run.Render());
        run.Ui!.Name.Should().Be(ui);
        run.Ui.Version.Should().StartWith(versionPrefix);
        run.Output.Should().Be("42");
        run.Steps.Should().HaveCount(5).And.OnlyContain(s => s.Passed);
        BrowserEvidence.ScreenshotsAreRealPngs(run);
    }
}
