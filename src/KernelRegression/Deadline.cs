namespace KernelRegression;

/// <summary>Every wait in the harness goes through here: a bounded time and a failure that says what was awaited.</summary>
public static class Deadline
{
    /// <summary>Multiplies every default deadline (KR_TIMEOUT_SCALE), for slow CI machines.</summary>
    public static double Scale { get; } =
        Settings.TimeoutScale;

    public static TimeSpan Of(double seconds) => TimeSpan.FromSeconds(seconds * Scale);

    public static async Task<T> RunAsync<T>(
        string awaited, TimeSpan timeout, Func<CancellationToken, Task<T>> body,
        Func<string> lastSeen, CancellationToken ct, Func<string?>? logTail = null)
    {
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(ct);
        cts.CancelAfter(timeout);
        try
        {
            return await body(cts.Token);
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
            throw new DeadlineExceededException(awaited, timeout, lastSeen(), logTail?.Invoke());
        }
    }

    public static Task RunAsync(
        string awaited, TimeSpan timeout, Func<CancellationToken, Task> body,
        Func<string> lastSeen, CancellationToken ct, Func<string?>? logTail = null) =>
        RunAsync<bool>(awaited, timeout, async t => { await body(t); return true; }, lastSeen, ct, logTail);
}
