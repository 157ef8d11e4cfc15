using System.Collections.Concurrent;
using System.Diagnostics;

namespace KernelRegression.Host;

/// <summary>
/// Watches one kernel's processes from outside the server, so a death is known the moment it happens
/// instead of at the server restarter's next poll (every 3 s). A watch records each process of the
/// kernel it sees (its first start and the restarter's next attempts, which reuse the connection
/// file), who its parent is and whether that parent is PID 1 of its own namespace, how long it
/// lived, and how it ended where the watch can read that. <see cref="LocalKernelWatch"/> reads this machine's /proc; <see cref="ScriptedKernelWatch"/>
/// reads the lines of <see cref="KernelWatchScript"/> run where the kernel runs (a pod). Lifetimes are
/// measured on the harness' clock either way.
/// </summary>
public abstract class KernelWatch : IDisposable
{
    private readonly ConcurrentDictionary<int, KernelProcessSeen> _seen = new();
    private readonly Stopwatch _clock = Stopwatch.StartNew();

    protected KernelWatch(string kernelId) => KernelId = kernelId;

    public string KernelId { get; }

    /// <summary>A kernel process appeared (its first start or a restart).</summary>
    public event Action<KernelProcessSeen>? Found;

    /// <summary>A kernel process exited.</summary>
    public event Action<KernelProcessSeen>? Exited;

    /// <summary>Every process of this kernel seen so far, oldest first.</summary>
    public IReadOnlyList<KernelProcessSeen> Seen => [.. _seen.Values.OrderBy(s => s.SeenAfter)];

    /// <summary>The process running now, if one is.</summary>
    public KernelProcessSeen? Running => _seen.Values.FirstOrDefault(s => s.Lived is null);

    /// <summary>The first process of this kernel that is not one of <paramref name="known"/> (a restarter's relaunch); TimeoutException if none comes in time.</summary>
    public async Task<KernelProcessSeen> NextProcessAsync(IReadOnlySet<int> known, TimeSpan timeout, CancellationToken ct)
    {
        var next = new TaskCompletionSource<KernelProcessSeen>(TaskCreationOptions.RunContinuationsAsynchronously);
        void OnFound(KernelProcessSeen s)
        {
            if (!known.Contains(s.Pid))
            {
                next.TrySetResult(s);
            }
        }
        Found += OnFound;
        try
        {
            if (Seen.FirstOrDefault(s => !known.Contains(s.Pid)) is { } already)
            {
                return already;
            }
            return await next.Task.WaitAsync(timeout, ct);
        }
        finally
        {
            Found -= OnFound;
        }
    }

    /// <summary>Whether a process of this pid was seen already (a watch reports each once).</summary>
    protected bool HasSeen(int pid) => _seen.ContainsKey(pid);

    /// <summary>Records a process of the kernel that appeared now and raises <see cref="Found"/>; null when the pid was seen already.</summary>
    protected KernelProcessSeen? RecordFound(int pid, int parentPid, string parentCommand, bool parentIsPid1)
    {
        var seen = new KernelProcessSeen(KernelId, pid, parentPid, parentCommand, parentIsPid1, _clock.Elapsed, null);
        if (!_seen.TryAdd(pid, seen))
        {
            return null;
        }
        Found?.Invoke(seen);
        return seen;
    }

    /// <summary>Records that a found process exited now (and how, where the watch could tell) and raises <see cref="Exited"/>; null when it was not found or has exited already.</summary>
    protected KernelProcessSeen? RecordExit(int pid, ProcessEnd? end = null)
    {
        if (!_seen.TryGetValue(pid, out var running) || running.Lived is not null)
        {
            return null;
        }
        var ended = running with { Lived = _clock.Elapsed - running.SeenAfter, End = end };
        if (!_seen.TryUpdate(pid, ended, running))
        {
            return null;
        }
        Exited?.Invoke(ended);
        return ended;
    }

    public void Dispose()
    {
        Dispose(true);
        GC.SuppressFinalize(this);
    }

    protected abstract void Dispose(bool disposing);
}
