using System.Collections.Concurrent;
using System.Diagnostics;
using KernelRegression.Evidence;

namespace KernelRegression.Host;

/// <summary>
/// Watches one kernel's processes on this machine, from outside: the process tier's kernels, and a
/// local Docker engine's (a container's processes are host processes too). It finds the process by
/// its connection file (jupyter_client names it kernel-ID.json), records who its parent is and
/// whether that parent is PID 1 of its own namespace, and waits for its exit with a pidfd, so a death
/// is known the moment it happens instead of at the server restarter's next poll (every 3 s). It
/// keeps looking after an exit, so the restarter's next attempts are seen too.
/// </summary>
public sealed class KernelWatch : IDisposable
{
    private static readonly TimeSpan Rescan = TimeSpan.FromMilliseconds(100);
    private readonly ConcurrentDictionary<int, KernelProcessSeen> _seen = new();
    private readonly CancellationTokenSource _stop;
    private readonly Stopwatch _clock = Stopwatch.StartNew();

    private KernelWatch(string kernelId, CancellationToken ct)
    {
        KernelId = kernelId;
        _stop = CancellationTokenSource.CreateLinkedTokenSource(ct);
    }

    public string KernelId { get; }

    /// <summary>A kernel process appeared (its first start or a restart).</summary>
    public event Action<KernelProcessSeen>? Found;

    /// <summary>A kernel process exited.</summary>
    public event Action<KernelProcessSeen>? Exited;

    /// <summary>Every process of this kernel seen so far, oldest first.</summary>
    public IReadOnlyList<KernelProcessSeen> Seen => [.. _seen.Values.OrderBy(s => s.SeenAfter)];

    /// <summary>The process running now, if one is.</summary>
    public KernelProcessSeen? Running => _seen.Values.FirstOrDefault(s => s.Lived is null);

    public static KernelWatch Start(string kernelId, CancellationToken ct)
    {
        var watch = new KernelWatch(kernelId, ct);
        _ = Task.Run(watch.LoopAsync, CancellationToken.None);
        return watch;
    }

    /// <summary>The pids of a kernel's processes on this machine, newest first.</summary>
    public static IReadOnlyList<int> Find(string kernelId) =>
        LocalProcess.All().Where(p => p.CommandLine.Contains($"kernel-{kernelId}.json", StringComparison.Ordinal))
            .Select(p => p.Pid).OrderDescending().ToList();

    private async Task LoopAsync()
    {
        var ct = _stop.Token;
        try
        {
            while (!ct.IsCancellationRequested)
            {
                // Only while no process of the kernel runs does the watch poll /proc; then it blocks on the pidfd.
                var pid = Find(KernelId).FirstOrDefault(p => !_seen.ContainsKey(p));
                if (pid == 0)
                {
                    await Task.Delay(Rescan, ct);
                    continue;
                }
                var started = _clock.Elapsed;
                var seen = Describe(pid, started);
                _seen[pid] = seen;
                Found?.Invoke(seen);
                if (await ProcessExit.ExitedAsync(pid, ct))
                {
                    var ended = seen with { Lived = _clock.Elapsed - started };
                    _seen[pid] = ended;
                    Exited?.Invoke(ended);
                }
            }
        }
        catch (OperationCanceledException)
        {
        }
    }

    private KernelProcessSeen Describe(int pid, TimeSpan at)
    {
        var process = LocalProcess.Of(pid);
        var parentPid = process.ParentPid ?? 0;
        var parent = LocalProcess.Of(parentPid);
        return new KernelProcessSeen(KernelId, pid, parentPid, parent.CommandLine, parent.NamespacePid == 1, at, null);
    }

    public void Dispose()
    {
        _stop.Cancel();
        _stop.Dispose();
    }
}
