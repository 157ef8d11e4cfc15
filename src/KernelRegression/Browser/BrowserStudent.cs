using System.Diagnostics;
using Microsoft.Playwright;

namespace KernelRegression.Browser;

/// <summary>
/// A student in a real browser: opens the hub, logs in through its login page, presses the start
/// button, follows the spawn-pending page to the server, opens the notebook UI the server offers,
/// creates a notebook with the Python kernel, types <c>print(6*7)</c> into a cell, runs it with
/// Shift+Enter and waits for 42 and an idle kernel. Never throws for what it finds: every failure is a
/// <see cref="BrowserRun"/> with the step and a cause a person can act on. What the page did (a wait for
/// it that ran out, a request it could not make, what it showed) is a verdict; the browser breaking under
/// the student (closed, crashed, any other Playwright error) is the harness's, never a verdict.
/// </summary>
public static class BrowserStudent
{
    public const string Login = "login";
    public const string Spawn = "spawn";
    public const string UiLoaded = "ui-loaded";
    public const string KernelConnected = "kernel-connected";
    public const string FirstOutput = "first-output";

    /// <summary>
    /// Cells' students take turns (one per two cores): a Chromium loading a notebook page keeps a core busy
    /// for seconds, and three at once on two cores made each page several times slower than the student it
    /// stands for would see. The wait is outside the flow's clock and said in the run's evidence.
    /// </summary>
    private static readonly SemaphoreSlim Turns = new(Math.Max(1, Environment.ProcessorCount / 2));

    /// <summary>Launches a browser for this one student (a few seconds), runs the flow, closes it.</summary>
    public static async Task<BrowserRun> RunAsync(Uri hubUrl, string user, string password, BrowserOptions options, CancellationToken ct)
    {
        if (ChromiumHost.Unavailable(options) is { } reason)
        {
            return Missing(reason);
        }
        var waited = Stopwatch.StartNew();
        await Turns.WaitAsync(ct);
        try
        {
            waited.Stop();
            ChromiumHost host;
            try
            {
                host = await ChromiumHost.LaunchAsync(options, ct);
            }
            catch (MissingPrerequisiteException e)
            {
                return Missing(e.What);
            }
            await using (host)
            {
                return await RunAsync(host, hubUrl, user, password, options, ct) with { WaitedForTurn = waited.Elapsed };
            }
        }
        finally
        {
            Turns.Release();
        }
    }

    /// <summary>Runs the flow in a fresh context of a browser that is already up (shared by concurrent students).</summary>
    public static async Task<BrowserRun> RunAsync(ChromiumHost host, Uri hubUrl, string user, string password, BrowserOptions options, CancellationToken ct)
    {
        Secrets.Register(password);
        Directory.CreateDirectory(options.EvidenceDirectory);
        var first = await new StudentFlow(host, hubUrl, user, password, options, "browser-").RunAsync(ct);
        if (first.Verdict != BrowserVerdict.Failed || !first.FailedRequests.Any(r => r.Failure?.Contains(NetworkChanged, StringComparison.Ordinal) == true))
        {
            return first;
        }
        // Chromium aborts every request in flight when an address of the machine changes (Docker adds one
        // with each network it creates): the machine's, not the deployment's, so the student tries again,
        // as a person would reload, and the evidence keeps the first attempt.
        var again = await new StudentFlow(host, hubUrl, user, password, options, "browser-retry-").RunAsync(ct);
        return again with
        {
            FirstAttempt = first,
            Retried = $"the first attempt failed at {first.FailedStep} after Chromium aborted requests with {NetworkChanged} (an address of this machine changed, e.g. Docker created or removed a network)",
        };
    }

    public const string NetworkChanged = "net::ERR_NETWORK_CHANGED";

    private static BrowserRun Missing(string reason) => ChromiumHost.Required
        ? new BrowserRun { Verdict = BrowserVerdict.HarnessError, Cause = $"KR_REQUIRE_TIER includes browser, but: {reason}" }
        : BrowserRun.Skip(reason);
}
