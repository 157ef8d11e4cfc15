using KernelRegression.Browser;
using KernelRegression.Matrix;
using KernelRegression.Suite.Docker;
using KernelRegression.Tiers.Docker;

namespace KernelRegression.Suite.Browser;

/// <summary>
/// A student in Debian's Chromium against the docker tier: a trixie hub (JupyterHub 5.2) of its own,
/// each single-user image with the UI it really serves: the classic notebook (bookworm, trixie with
/// STACK=notebook), Notebook 7 and JupyterLab (sid with Debian's python3-notebook), and nothing a
/// browser can use (trixie's default image, jupyter_server alone).
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
    public async Task AStudentRunsACellInTheClassicNotebookOfTheTrixieImageUnderJupyterHub5()
    {
        var run = await StudentAsync("trixie-notebook", "as-installed");

        ShouldPass(run, UiGeneration.ClassicNotebook, "6.4.13");
    }

    [Fact]
    public async Task AStudentRunsACellInNotebook7OfTheSidImage()
    {
        var run = await StudentAsync("sid", "notebook");

        ShouldPass(run, UiGeneration.Notebook7, "7.");
    }

    [Fact]
    public async Task AStudentRunsACellInJupyterLabOfTheSidImage()
    {
        var run = await StudentAsync("sid", "notebook", defaultUrl: "/lab");

        ShouldPass(run, UiGeneration.JupyterLab, "4.");
    }

    [Fact]
    public async Task TheTrixieImageWithJupyterServerAloneOffersTheStudentNoUi()
    {
        // The default trixie image runs jupyterhub-singleuser on jupyter_server with no front end
        // installed (no recommends): the REST API works, the student gets a 404 page.
        var run = await StudentAsync("trixie", "as-installed");

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
        // The acceptance bound: from the server's page to 42 on screen, under 30 s.
        run.Steps.Where(s => s.Name is BrowserStudent.UiLoaded or BrowserStudent.KernelConnected or BrowserStudent.FirstOutput)
            .Sum(s => s.Duration.TotalSeconds).Should().BeLessThan(30 * Deadline.Scale);
    }
}
