namespace KernelRegression.Tiers;

/// <summary>Finding a kernel's processes where the harness cannot read /proc itself: inside a container or a pod.</summary>
public static class KernelProcesses
{
    /// <summary>
    /// A POSIX shell script that signals a kernel's processes inside a container or pod, found by their
    /// connection file (jupyter_client names it kernel-ID.json); exits non-zero when there is none.
    /// "kernel-[x]yz": matches the kernel's command line but not the script's own (nor its grep's),
    /// which would otherwise find and signal themselves.
    /// </summary>
    public static string SignalScript(string kernelId, int signal) =>
        $"for d in /proc/[0-9]*; do if tr '\\0' ' ' < $d/cmdline 2>/dev/null | grep -q 'kernel-[{kernelId[0]}]{kernelId[1..]}.json'; then kill -{signal} ${{d#/proc/}}; found=1; fi; done; [ -n \"$found\" ]";
}
