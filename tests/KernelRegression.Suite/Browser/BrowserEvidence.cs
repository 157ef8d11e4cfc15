using KernelRegression.Browser;

namespace KernelRegression.Suite.Browser;

/// <summary>What every browser test attaches and checks about a run's evidence.</summary>
internal static class BrowserEvidence
{
    private static readonly byte[] PngSignature = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A];

    public static void Attach(BrowserRun run)
    {
        TestContext.Current.AddAttachment("browser.txt", run.Render());
        foreach (var png in run.Screenshots.Where(File.Exists))
        {
            TestContext.Current.AddAttachment(Path.GetFileName(png), File.ReadAllBytes(png), "image/png");
        }
        var afterServer = run.Steps.Where(s => s.Name is BrowserStudent.UiLoaded or BrowserStudent.KernelConnected or BrowserStudent.FirstOutput).Sum(s => s.Duration.TotalSeconds);
        TestContext.Current.SendDiagnosticMessage($"browser: {run}; after the server was up: {afterServer:0.0} s");
    }

    /// <summary>
    /// Each screenshot is a real PNG; those of passed steps show more than a blank page (a failure's may be
    /// blank: a page whose scripts did not load is blank, and that is what the student saw).
    /// </summary>
    public static void ScreenshotsAreRealPngs(BrowserRun run)
    {
        foreach (var png in run.Screenshots)
        {
            File.ReadAllBytes(png).Take(8).Should().Equal(PngSignature, $"{png} is a PNG");
        }
        // The spawn's picture is the spawn-pending page when the spawn was slow enough to show one; a
        // server already running (a retry) goes straight to a page still drawing.
        foreach (var step in run.Steps.Where(s => s.Passed && (s.Name != BrowserStudent.Spawn || run.Retried is null)))
        {
            step.Screenshot.Should().NotBeNull($"step {step.Name} has a screenshot");
            new FileInfo(step.Screenshot!).Length.Should().BeGreaterThan(5_000, $"{step.Screenshot} shows a page, not a blank");
        }
    }
}
