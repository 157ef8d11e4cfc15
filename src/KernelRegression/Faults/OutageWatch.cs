using System.Diagnostics;

namespace KernelRegression.Faults;

/// <summary>When a fault was first seen, counted from when its action returned (null: never), after how many probes, the sentence that says how, and how long from the fault's start the watch lasted.</summary>
public sealed record Outage(TimeSpan? Detected, int Probes, string Seen, TimeSpan Watched);

/// <summary>
/// A fault's detection, measured: the same question is asked of the deployment once before the fault
/// (it must be answered, or there is nothing to detect), then from the moment the fault begins every
/// 100 ms until the first time it goes unanswered, at most a while past the fault's end. The detection
/// time is when the harness knew: the end of the first probe that failed, counted from when the fault's
/// action returned (the fault certainly in effect), zero when it was seen before that. The action's own
/// time (a container started to cut a network, an engine call to pause) is the engine's, not the watch's:
/// on a loaded machine it took seconds, so it is said beside the detection, never counted in it.
/// A probe the harness itself could not make is a harness error, never "no answer".
/// </summary>
public static class OutageWatch
{
    private static readonly TimeSpan Interval = TimeSpan.FromMilliseconds(100);

    /// <param name="silence">How an unanswered probe reads, e.g. "no kernel_info_reply within 1 s".</param>
    /// <param name="answers">One probe: true when answered; false when the deployment did not answer (its own failures only).</param>
    /// <param name="watchAfter">How long to keep probing once the fault's action returned (a killed proxy goes silent after its kill returns).</param>
    public static async Task<Outage> WatchAsync(string silence, Func<CancellationToken, Task<bool>> answers, Func<Task> fault, TimeSpan watchAfter, CancellationToken ct)
    {
        var before = await answers(ct);
        var sw = Stopwatch.StartNew();
        TimeSpan? detected = null;
        var probes = 0;
        using var probing = CancellationTokenSource.CreateLinkedTokenSource(ct);
        var loop = Task.Run(async () =>
        {
            while (!probing.IsCancellationRequested)
            {
                probes++;
                if (!await answers(probing.Token) && !probing.IsCancellationRequested)
                {
                    detected = sw.Elapsed;
                    return;
                }
                await Task.Delay(Interval, probing.Token);
            }
        }, CancellationToken.None);
        await fault();
        var faultDone = sw.Elapsed;
        await Task.WhenAny(loop, Task.Delay(watchAfter, ct));
        await probing.CancelAsync();
        await loop.ContinueWith(_ => { }, TaskScheduler.Default);
        if (loop.Exception?.InnerException is { } broken and not OperationCanceledException)
        {
            throw broken;
        }
        var watched = sw.Elapsed;
        // Seen while the action still ran: at once.
        var inEffect = detected is { } seen && seen > faultDone ? seen - faultDone : TimeSpan.Zero;
        return (before, detected) switch
        {
            (false, _) => new(null, probes, $"it was not answered before the fault either ({silence}), so nothing could be detected", watched),
            (_, { } d) => new(inEffect, probes,
                $"{silence}: seen {inEffect.TotalSeconds:0.0} s after the fault took effect " +
                $"({d.TotalSeconds:0.0} s after it began, its action took {faultDone.TotalSeconds:0.0} s; probe {probes})", watched),
            _ => new(null, probes, $"answered throughout ({probes} probes over {watched.TotalSeconds:0.0} s, the fault's action took {faultDone.TotalSeconds:0.0} s)", watched),
        };
    }
}
