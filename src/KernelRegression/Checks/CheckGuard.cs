namespace KernelRegression.Checks;

/// <summary>
/// A check that does not finish is a harness error naming it, never a hang of the run. Every wait inside a
/// check has a deadline of its own, far shorter than this limit, so a check that runs past it waits on
/// something without one: a bug of the harness, not a verdict on the deployment. The check is cancelled at
/// the limit; one that ignores its cancellation is left behind after a grace period, so the cell (and a CI
/// run) still ends, and says which check hung.
/// </summary>
public static class CheckGuard
{
    public static readonly TimeSpan Grace = TimeSpan.FromSeconds(30);

    /// <summary>The longest a check may take: far above any check's own waits, plus the stays-alive window.</summary>
    public static TimeSpan Limit(CheckOptions options) => Deadline.Of(900) + options.AliveWindow;

    /// <param name="lastStep">The last step the check finished, for the message.</param>
    public static async Task<string> RunAsync(string check, Func<CancellationToken, Task<string>> body, Func<string?> lastStep,
        TimeSpan limit, TimeSpan grace, CancellationToken ct)
    {
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(ct);
        cts.CancelAfter(limit);
        var run = body(cts.Token);
        try
        {
            return await run.WaitAsync(limit + grace, ct);
        }
        catch (TimeoutException) when (!run.IsCompleted)
        {
            _ = run.ContinueWith(t => _ = t.Exception, TaskScheduler.Default); // left behind: observe its end
            throw Hung(check, lastStep, limit, "and did not stop when cancelled");
        }
        catch (Exception e) when (cts.IsCancellationRequested && !ct.IsCancellationRequested && e is not (CheckFailedException or CheckSkippedException))
        {
            throw Hung(check, lastStep, limit, "and was cancelled");
        }
    }

    private static HarnessFaultException Hung(string check, Func<string?> lastStep, TimeSpan limit, string end) =>
        new($"the {check} check did not finish within {limit.TotalSeconds:0.#} s {end}; the last step it finished: {lastStep() ?? "none"} (a wait of the harness without its own deadline: a bug of KernelRegression, not a verdict on the deployment)",
            "report it with this cell's evidence");
}
