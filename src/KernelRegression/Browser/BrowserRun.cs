using System.Globalization;
using System.Text;

namespace KernelRegression.Browser;

public enum BrowserVerdict
{
    Passed,
    /// <summary>The page did not do what a student waits for: a verdict on the deployment, with its cause.</summary>
    Failed,
    /// <summary>No browser on this machine: <see cref="BrowserRun.Cause"/> says how to install one.</summary>
    Skipped,
    /// <summary>The browser broke under the student (closed, crashed, Playwright's own error), or a required one is missing: never a verdict.</summary>
    HarnessError,
}

/// <summary>One step of the student's flow, how long it took, and the screenshot taken when it ended (PNG).</summary>
public sealed record BrowserStep(string Name, TimeSpan Duration, string? Screenshot, bool Passed);

/// <summary>A request the page made that failed: an HTTP status ≥ 400, or no response at all (Failure).</summary>
public sealed record FailedRequest(string Url, int? Status, string? Failure, string ResourceType)
{
    public override string ToString() => $"{Url}: {(Status is { } s ? s.ToString(CultureInfo.InvariantCulture) : Failure)}";
}

/// <summary>A WebSocket of the page that closed, with the close code the page saw (1006: no close frame, the connection dropped).</summary>
public sealed record SocketClose(string Url, int Code, string Reason, bool WasClean, TimeSpan At);

/// <summary>A WebSocket the page opened (the kernel's channels, the terminal, …), and when.</summary>
public sealed record SocketOpen(string Url, TimeSpan At);

/// <summary>The notebook UI the single-user server offered, as the page says it is.</summary>
public sealed record UiGeneration(string Name, string Version)
{
    public const string ClassicNotebook = "classic notebook";
    public const string Notebook7 = "notebook 7";
    public const string JupyterLab = "jupyterlab";
    public const string None = "none";

    public override string ToString() => Version.Length == 0 ? Name : $"{Name} {Version}";
}

/// <summary>
/// What a student in a real browser met: a verdict, the cause a person can act on (the step that failed
/// and the evidence that says why), per-step timings and screenshots, the page's console errors, its failed
/// requests and closed WebSockets, and the UI generation the server offered.
/// </summary>
public sealed record BrowserRun
{
    public required BrowserVerdict Verdict { get; init; }
    /// <summary>Why it failed (or was skipped, or the harness broke), in one line; null when it passed.</summary>
    public string? Cause { get; init; }
    /// <summary>The step that failed: login, spawn, ui-loaded, kernel-connected or first-output.</summary>
    public string? FailedStep { get; init; }
    public IReadOnlyList<BrowserStep> Steps { get; init; } = [];
    /// <summary>Full-page screenshot at the moment of failure (PNG), when there was a page to shoot.</summary>
    public string? FailureScreenshot { get; init; }
    /// <summary>The page's console errors and uncaught exceptions (the first 200; <see cref="ConsoleErrorCount"/> counts them all).</summary>
    public IReadOnlyList<string> ConsoleErrors { get; init; } = [];
    public int ConsoleErrorCount { get; init; }
    public IReadOnlyList<FailedRequest> FailedRequests { get; init; } = [];
    public IReadOnlyList<SocketClose> SocketCloses { get; init; } = [];
    public IReadOnlyList<SocketOpen> SocketOpens { get; init; } = [];
    /// <summary>Every URL the student's pages navigated to, in order (tokens redacted).</summary>
    public IReadOnlyList<string> Navigations { get; init; } = [];
    public UiGeneration? Ui { get; init; }
    /// <summary>The text the output area showed for the cell (the expected output when it passed).</summary>
    public string? Output { get; init; }
    /// <summary>What the student removed afterwards (the notebook it made and its kernel), so a real user's server keeps nothing.</summary>
    public string? Cleanup { get; init; }
    /// <summary>Why the flow ran a second time (only for a fault of the machine, not of the deployment), and the first attempt.</summary>
    public string? Retried { get; init; }
    public BrowserRun? FirstAttempt { get; init; }
    /// <summary>How long the student waited for another cell's student to finish with the browser (not part of any step).</summary>
    public TimeSpan WaitedForTurn { get; init; }
    public string Browser { get; init; } = "";
    public TimeSpan Elapsed { get; init; }

    public bool Passed => Verdict == BrowserVerdict.Passed;

    /// <summary>Step timings in the shape the rest of the harness records (step, duration).</summary>
    public IReadOnlyList<(string Step, TimeSpan Duration)> Timings => [.. Steps.Select(s => ("browser-" + s.Name, s.Duration))];

    /// <summary>Every screenshot, in the order taken (the failure's last).</summary>
    public IReadOnlyList<string> Screenshots =>
        [.. FirstAttempt?.Screenshots ?? [], .. Steps.Select(s => s.Screenshot).OfType<string>(), .. FailureScreenshot is null ? [] : new[] { FailureScreenshot }];

    public static BrowserRun Skip(string reason) => new() { Verdict = BrowserVerdict.Skipped, Cause = reason };

    /// <summary>The evidence as text (browser.txt): verdict, steps, UI, and every console error, failed request and socket close.</summary>
    public string Render()
    {
        var sb = new StringBuilder();
        sb.Append(CultureInfo.InvariantCulture, $"verdict: {VerdictLabel}\n");
        if (Cause is not null)
        {
            sb.Append(CultureInfo.InvariantCulture, $"cause: {Cause}\n");
        }
        if (FailedStep is not null)
        {
            sb.Append(CultureInfo.InvariantCulture, $"failed step: {FailedStep}\n");
        }
        sb.Append(CultureInfo.InvariantCulture, $"browser: {Browser}\nui: {Ui?.ToString() ?? "not reached"}\nelapsed: {Elapsed.TotalMilliseconds:0} ms\n");
        if (Output is not null)
        {
            sb.Append(CultureInfo.InvariantCulture, $"output: {Output}\n");
        }
        if (WaitedForTurn >= TimeSpan.FromSeconds(1))
        {
            sb.Append(CultureInfo.InvariantCulture, $"waited for its turn: {WaitedForTurn.TotalSeconds:0.0} s (another cell's student had the browser)\n");
        }
        if (Retried is not null)
        {
            sb.Append(CultureInfo.InvariantCulture, $"retried: {Retried}\n");
        }
        if (Cleanup is not null)
        {
            sb.Append(CultureInfo.InvariantCulture, $"cleanup: {Cleanup}\n");
        }
        sb.Append("\nsteps:\n");
        foreach (var s in Steps)
        {
            sb.Append(CultureInfo.InvariantCulture, $"  {(s.Passed ? "ok  " : "FAIL")} {s.Name,-17} {s.Duration.TotalMilliseconds,8:0} ms  {(s.Screenshot is null ? "" : Path.GetFileName(s.Screenshot))}\n");
        }
        if (FailureScreenshot is not null)
        {
            sb.Append(CultureInfo.InvariantCulture, $"  failure screenshot: {Path.GetFileName(FailureScreenshot)}\n");
        }
        Section(sb, "failed requests", FailedRequests.Select(r => $"{r} ({r.ResourceType})"));
        Section(sb, "websocket opens", SocketOpens.Select(o => $"{o.At.TotalMilliseconds:0} ms {o.Url}"));
        Section(sb, "websocket closes", SocketCloses.Select(c => $"{c.At.TotalMilliseconds:0} ms {c.Url}: {c.Code}{(c.Reason.Length > 0 ? " " + c.Reason : "")}{(c.WasClean ? "" : " (not clean)")}"));
        Section(sb, ConsoleErrorCount > ConsoleErrors.Count ? $"console errors, the first {ConsoleErrors.Count} of {ConsoleErrorCount}" : "console errors", ConsoleErrors);
        Section(sb, "navigations", Navigations);
        if (FirstAttempt is not null)
        {
            sb.Append("\n--- first attempt ---\n").Append(FirstAttempt.Render());
        }
        return Secrets.Redact(sb.ToString());
    }

    private static void Section(StringBuilder sb, string title, IEnumerable<string> lines)
    {
        var list = lines.ToList();
        sb.Append(CultureInfo.InvariantCulture, $"\n{title} ({list.Count}):\n");
        foreach (var l in list)
        {
            sb.Append("  ").Append(l).Append('\n');
        }
    }

    public override string ToString() => Verdict == BrowserVerdict.Passed
        ? $"passed ({Ui}): {string.Join(", ", Steps.Select(s => $"{s.Name} {s.Duration.TotalMilliseconds:0} ms"))}{(Retried is null ? "" : "; retried: " + Retried)}"
        : $"{VerdictLabel} at {FailedStep ?? "start"}: {Cause}";

    private string VerdictLabel => Verdict == BrowserVerdict.HarnessError ? "harness error" : Verdict.ToString().ToLowerInvariant();
}
