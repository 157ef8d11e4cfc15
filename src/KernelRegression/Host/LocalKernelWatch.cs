namespace KernelRegression.Host;

/// <summary>
/// A kernel watch on this machine: the process tier's kernels, and a local Docker engine's (a
/// container's processes are host processes too). It finds the process by its connection file
/// (jupyter_client names it kernel-ID.json; the newest such process whose parent's command line does
/// not name it), polling /proc every 100 ms only while no process of the kernel runs, then waits for the
/// exit with a pidfd and reads how it ended from its zombie (the server reaps it at its restarter's next
/// poll, up to 3 s later; a zombie already reaped leaves the ending unknown).
/// </summary>
public sealed class LocalKernelWatch : KernelWatch
{
    private static readonly TimeSpan Rescan = TimeSpan.FromMilliseconds(100);
    private readonly CancellationTokenSource _stop;

    private LocalKernelWatch(string kernelId, CancellationToken ct) : base(kernelId) =>
        _stop = CancellationTokenSource.CreateLinkedTokenSource(ct);

    public static LocalKernelWatch Start(string kernelId, CancellationToken ct)
    {
        var watch = new LocalKernelWatch(kernelId, ct);
        _ = Task.Run(watch.LoopAsync, CancellationToken.None);
        return watch;
    }

    /// <summary>The pids of a kernel's processes on this machine, newest first.</summary>
    public static IReadOnlyList<int> Find(string kernelId) =>
        LocalProcess.All().Where(p => NamesTheFile(p, kernelId)).Select(p => p.Pid).OrderDescending().ToList();

    /// <summary>Whether a process's command line names the kernel's connection file (jupyter_client's kernel-ID.json).</summary>
    private static bool NamesTheFile(LocalProcess process, string kernelId) =>
        process.CommandLine.Contains($"kernel-{kernelId}.json", StringComparison.Ordinal);

    private async Task LoopAsync()
    {
        var ct = _stop.Token;
        try
        {
            while (!ct.IsCancellationRequested)
            {
                // Only while no process of the kernel runs does the watch poll /proc; then it blocks on the pidfd.
                var pid = Find(KernelId).FirstOrDefault(p => !HasSeen(p) && !ParentNamesTheFile(p));
                if (pid == 0)
                {
                    await Task.Delay(Rescan, ct);
                    continue;
                }
                var process = LocalProcess.Of(pid);
                var parentPid = process.ParentPid ?? 0;
                var parent = LocalProcess.Of(parentPid);
                // The exit watch opens before Found is raised: a listener that kills the kernel at once (a
                // fault, a test) could otherwise kill it before the watch opens and its exit would go unseen.
                using var exit = ProcessExit.Open(pid);
                RecordFound(pid, parentPid, parent.CommandLine, parent.NamespacePid == 1);
                if (exit is not null && await exit.WaitAsync(ct))
                {
                    RecordExit(pid, LocalProcess.Of(pid).End);
                }
            }
        }
        catch (OperationCanceledException)
        {
        }
    }

    /// <summary>A fork of the kernel (or of a wrapper that does not exec) names the connection file too until it
    /// execs: its parent is the one to watch, or the watch would see the fork's exit as the kernel's.</summary>
    private bool ParentNamesTheFile(int pid) =>
        LocalProcess.Of(pid).ParentPid is { } parent && NamesTheFile(LocalProcess.Of(parent), KernelId);

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _stop.Cancel();
            _stop.Dispose();
        }
    }
}
