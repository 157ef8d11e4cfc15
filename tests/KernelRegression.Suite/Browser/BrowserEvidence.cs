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
        TestContext.Current.SendDiagnosticMessage($"browser: {run}");
    }

    /// <summary>Each screenshot is a real PNG with more than a blank page in it.</summary>
    public static void ScreenshotsAreRealPngs(BrowserRun run)
    {
        foreach (var png in run.Screenshots)
        {
            var bytes = File.ReadAllBytes(png);
            bytes.Take(8).Should().Equal(PngSignature, $"{png} is a PNG");
            bytes.Length.Should().BeGreaterThan(5_000, $"{png} shows a page, not a blank");
        }
    }
}
