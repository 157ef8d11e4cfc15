using KernelRegression.Browser;

namespace KernelRegression.Suite.Browser;

/// <summary>A student in Debian's Chromium against the process-tier hub (Debian's JupyterHub 3.0, classic notebook 6.4).</summary>
public sealed class ProcessBrowserTests(ProcessTier tier, BrowserHost browser)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task AStudentLogsInStartsTheServerAndRunsACellInTheClassicNotebook()
    {
        // Given
        var host = await browser.HostAsync(Ct);
        await using var student = Student.Create(tier.Hub, Student.NewName("browser"));

        // When
        var run = await BrowserStudent.RunAsync(host, tier.Hub.HubUrl, student.Name, tier.Hub.StudentPassword, browser.OptionsFor("process"), Ct);

        // Then
        BrowserEvidence.Attach(run);
        run.Verdict.Should().Be(BrowserVerdict.Passed, run.Render());
        run.Ui!.Name.Should().Be(UiGeneration.ClassicNotebook);
        run.Ui.Version.Should().StartWith("6.");
        run.Output.Should().Be("42");
        run.Steps.Select(s => s.Name).Should().Equal(BrowserStudent.Login, BrowserStudent.Spawn, BrowserStudent.UiLoaded, BrowserStudent.KernelConnected, BrowserStudent.FirstOutput);
        run.Screenshots.Should().HaveCount(5);
        BrowserEvidence.ScreenshotsAreRealPngs(run);
    }
}
