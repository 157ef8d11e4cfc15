using Microsoft.Playwright;

namespace KernelRegression.Browser;

/// <summary>
/// Debian's Chromium driven by Playwright (its driver, node included, ships inside the NuGet package;
/// no browser download ever runs: the executable path is given). One host can serve many students at
/// once, each in a fresh context (its own cookies and storage); the browser's profile directory is a
/// fresh temporary one per launch.
/// </summary>
public sealed class ChromiumHost : IAsyncDisposable
{
    private readonly IPlaywright _playwright;

    private ChromiumHost(IPlaywright playwright, IBrowser browser, string executable)
    {
        _playwright = playwright;
        Browser = browser;
        Executable = executable;
    }

    public IBrowser Browser { get; }
    public string Executable { get; }
    /// <summary>e.g. "chromium 156.0.8078.114 (/usr/bin/chromium)".</summary>
    public string Description => $"chromium {Browser.Version} ({Executable})";

    /// <summary>The exact command that installs what is missing, in the words every skip uses.</summary>
    public const string InstallHint = "install it with `eng/bootstrap.sh browser` (as root: apt-get install -y chromium), or point KR_CHROMIUM at a Chromium";

    /// <summary>Why no browser can run here (null when one can): the reason names the install command.</summary>
    public static string? Unavailable(BrowserOptions options) =>
        File.Exists(options.ExecutablePath) ? null : $"browser: no chromium at {options.ExecutablePath} ({InstallHint})";

    /// <summary>True when KR_REQUIRE_TIER names browser: a missing browser is then a failure, not a skip.</summary>
    public static bool Required =>
        Settings.Requires("browser");

    public static async Task<ChromiumHost> LaunchAsync(BrowserOptions options, CancellationToken ct)
    {
        if (Unavailable(options) is { } reason)
        {
            throw new MissingPrerequisiteException(reason, InstallHint);
        }
        var playwright = await Playwright.CreateAsync().WaitAsync(ct);
        try
        {
            var browser = await playwright.Chromium.LaunchAsync(new()
            {
                ExecutablePath = options.ExecutablePath,
                Headless = true,
                Args = [.. BrowserOptions.ChromiumArgs],
                Timeout = NotebookUi.Ms(Deadline.Of(60)),
            }).WaitAsync(ct);
            return new ChromiumHost(playwright, browser, options.ExecutablePath);
        }
        catch (PlaywrightException e)
        {
            playwright.Dispose();
            throw new MissingPrerequisiteException($"Playwright could not start {options.ExecutablePath}: {e.Message.Split('\n')[0]}",
                $"check that `{options.ExecutablePath} --headless --no-sandbox --dump-dom about:blank` works; {InstallHint}");
        }
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            // Playwright gives closing no timeout; the driver's end (below) takes the browser with it.
            await Browser.CloseAsync().WaitAsync(Deadline.Of(20));
        }
        catch (TimeoutException)
        {
        }
        finally
        {
            _playwright.Dispose();
        }
    }
}
