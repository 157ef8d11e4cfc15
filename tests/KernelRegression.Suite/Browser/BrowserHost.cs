using KernelRegression.Browser;

[assembly: AssemblyFixture(typeof(KernelRegression.Suite.Browser.BrowserHost))]

namespace KernelRegression.Suite.Browser;

/// <summary>
/// One Chromium for the suite's browser students, launched on first use (tests that need no browser
/// never start it), each student in a context of its own. Without Chromium the tests skip with the
/// install command, unless KR_REQUIRE_TIER names browser, in which case they fail.
/// </summary>
public sealed class BrowserHost : IAsyncDisposable
{
    private readonly SemaphoreSlim _gate = new(1, 1);
    private ChromiumHost? _host;

    public BrowserOptions Options { get; } = new();

    private readonly System.Collections.Concurrent.ConcurrentBag<string> _folders = [];

    /// <summary>Options whose screenshots go to a folder of this test's own (attached to the test, removed at the end).</summary>
    public BrowserOptions OptionsFor(string test)
    {
        var folder = Directory.CreateTempSubdirectory($"kr-browser-{test}-").FullName;
        _folders.Add(folder);
        return Options.WithEvidenceDirectory(folder);
    }

    /// <summary>Skips the test without Chromium (naming the install command), or fails it under KR_REQUIRE_TIER=browser.</summary>
    public static void RequireChromium() => RequiresTierAttribute.Require(typeof(BrowserProbe));

    public async Task<ChromiumHost> HostAsync(CancellationToken ct)
    {
        RequireChromium();
        await _gate.WaitAsync(ct);
        try
        {
            return _host ??= await ChromiumHost.LaunchAsync(Options, ct);
        }
        finally
        {
            _gate.Release();
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_host is not null)
        {
            await _host.DisposeAsync();
        }
        _gate.Dispose();
        foreach (var folder in _folders.Where(Directory.Exists))
        {
            Directory.Delete(folder, recursive: true);
        }
    }
}
