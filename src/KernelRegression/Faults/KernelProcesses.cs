using KernelRegression.Jupyter;
using KernelRegression.Tiers.Process;

namespace KernelRegression.Faults;

/// <summary>Finds a kernel's process by its id: jupyter_client names the connection file kernel-ID.json.</summary>
public static class KernelProcesses
{
    /// <summary>
    /// Tells the connection the moment the kernel's process exits, where this machine can see it: the
    /// process tier's kernels, and the docker tier's on a local engine (a container's processes are
    /// host processes too). Elsewhere nothing is found and the server's restarter is the signal.
    /// </summary>
    public static void WatchLocal(string kernelId, KernelConnection connection, CancellationToken ct)
    {
        var epoch = connection.RestartEpoch;
        foreach (var pid in FindLocal(kernelId))
        {
            _ = KernelProcessWatch.ExitedAsync(pid, ct).ContinueWith(
                t => { if (t.Result) { connection.ReportKernelProcessExit($"kernel process {pid} exited", epoch); } },
                CancellationToken.None, TaskContinuationOptions.OnlyOnRanToCompletion, TaskScheduler.Default)
                .ContinueWith(_ => { }, TaskScheduler.Default);
        }
    }

    /// <summary>
    /// A POSIX shell script that signals a kernel's processes inside a container or pod, found by their
    /// connection file; exits non-zero when there is none. "kernel-[x]yz": matches the kernel's command
    /// line but not the script's own (nor its grep's), which would otherwise find and signal themselves.
    /// </summary>
    public static string SignalScript(string kernelId, int signal) =>
        $"for d in /proc/[0-9]*; do if tr '\\0' ' ' < $d/cmdline 2>/dev/null | grep -q 'kernel-[{kernelId[0]}]{kernelId[1..]}.json'; then kill -{signal} ${{d#/proc/}}; found=1; fi; done; [ -n \"$found\" ]";

    public static IReadOnlyList<int> FindLocal(string kernelId) =>
        LocalProcess.All().Where(p => p.CommandLine.Contains($"kernel-{kernelId}.json", StringComparison.Ordinal)).Select(p => p.Pid).ToList();
}
