namespace KernelRegression.Bench;

/// <summary>
/// A kernel's OS process on this machine, found by its id in /proc/*/cmdline (the kernel is started
/// with its connection file, kernel-ID.json, on the command line).
/// </summary>
public static class KernelProcess
{
    public static int Find(string kernelId)
    {
        foreach (var dir in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(dir), out var pid))
            {
                continue;
            }
            try
            {
                var cmdline = File.ReadAllText(Path.Combine(dir, "cmdline"));
                if (cmdline.Contains($"kernel-{kernelId}.json", StringComparison.Ordinal))
                {
                    return pid;
                }
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                // Gone, or not ours to read.
            }
        }
        throw new HarnessException($"no process of kernel {kernelId} in /proc (looked for kernel-{kernelId}.json on a command line)",
            "time-to-detect needs the kernel on this machine: use the process tier");
    }

    /// <summary>SIGKILL, as the OOM killer would.</summary>
    public static void Kill(int pid) => System.Diagnostics.Process.GetProcessById(pid).Kill();
}
