namespace KernelRegression.Browser;

/// <summary>
/// How the browser student runs: which Chromium, where the screenshots go, what cell to run and
/// what output proves it ran, and how long each step may take (scaled by KR_TIMEOUT_SCALE).
/// Immutable: each With… returns new options.
/// </summary>
public sealed record BrowserOptions
{
    /// <summary>Debian's chromium by default; KR_CHROMIUM points at another build.</summary>
    public string ExecutablePath { get; init; } = Settings.Chromium;

    /// <summary>Where screenshots (PNG) are written, one per step and one on failure. Created if missing.</summary>
    public string EvidenceDirectory { get; init; } = Path.Combine(Path.GetTempPath(), "kr-browser");

    public string Code { get; init; } = "print(6*7)";
    public string ExpectedOutput { get; init; } = "42";
    /// <summary>The kernelspec the student picks when creating the notebook.</summary>
    public string KernelName { get; init; } = "python3";

    public TimeSpan LoginTimeout { get; init; } = Deadline.Of(20);
    /// <summary>From pressing start to the server's page: the hub's own spawn timeout is longer (60-120 s).</summary>
    public TimeSpan SpawnTimeout { get; init; } = Deadline.Of(90);
    public TimeSpan UiTimeout { get; init; } = Deadline.Of(30);
    /// <summary>From New to the page's kernel WebSocket: the notebook page loads and the server starts a kernel (slow on a busy node).</summary>
    public TimeSpan KernelTimeout { get; init; } = Deadline.Of(60);
    /// <summary>From the kernel WebSocket's open to an idle kernel: the kernel answers on its channels (the API checks allow kernel_info 30 s too).</summary>
    public TimeSpan KernelAnswerTimeout { get; init; } = Deadline.Of(30);
    public TimeSpan OutputTimeout { get; init; } = Deadline.Of(30);
    /// <summary>Beyond a step's own waits, for its screenshots and reading the page for a cause; past it the page has stopped answering.</summary>
    public TimeSpan StepMargin { get; init; } = Deadline.Of(60);

    /// <summary>Chromium flags: headless on a machine whose network is closed (without the background
    /// networking flags Chromium's own connections are refused and slow every start).</summary>
    public static IReadOnlyList<string> ChromiumArgs { get; } =
    [
        "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
        "--disable-component-update", "--disable-sync",
    ];

    public BrowserOptions WithEvidenceDirectory(string directory) => this with { EvidenceDirectory = directory };
}
