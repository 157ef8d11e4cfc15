namespace KernelRegression.Faults;

/// <summary>
/// For the few states nothing announces (a route restored in a proxy's table, a port gone): probe with
/// a short, growing back-off under a deadline. Everything that has an event waits on the event instead.
/// </summary>
public static class Eventually
{
    public static async Task<string> TrueAsync(string awaited, Func<CancellationToken, Task<bool>> probe, TimeSpan timeout, CancellationToken ct)
    {
        var attempts = 0;
        return await Deadline.RunAsync(awaited, timeout, async t =>
        {
            var delay = TimeSpan.FromMilliseconds(50);
            while (!await probe(t))
            {
                attempts++;
                await Task.Delay(delay, t);
                delay = TimeSpan.FromMilliseconds(Math.Min(delay.TotalMilliseconds * 1.5, 1000));
            }
            return $"{awaited}: after {attempts + 1} probes";
        }, () => $"{attempts} probes, none true", ct);
    }
}
