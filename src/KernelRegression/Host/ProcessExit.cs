using System.Runtime.InteropServices;

namespace KernelRegression.Host;

/// <summary>
/// Waits for a process to exit without being its parent: Linux's pidfd_open gives a descriptor that
/// becomes readable when the process exits. For a kernel this tells the harness it died
/// the moment it dies, instead of when the server's restarter next polls (every 3 s).
/// </summary>
public static partial class ProcessExit
{
    private const int SysPidfdOpen = 434; // x86_64 and aarch64
    private const short PollIn = 0x1;

    [StructLayout(LayoutKind.Sequential)]
    private struct PollFd
    {
        public int Fd;
        public short Events;
        public short Revents;
    }

    /// <summary>Completes when <paramref name="pid"/> exits; false if it could not be watched (gone already, or no pidfd).</summary>
    public static Task<bool> ExitedAsync(int pid, CancellationToken ct)
    {
        var fd = (int)Syscall(SysPidfdOpen, pid, 0);
        if (fd < 0)
        {
            return Task.FromResult(false);
        }
        return Task.Factory.StartNew(() =>
        {
            try
            {
                var p = new PollFd { Fd = fd, Events = PollIn };
                // poll() blocks on the exit event; the 250 ms slices only let cancellation in.
                while (!ct.IsCancellationRequested)
                {
                    if (Poll(ref p, 1, 250) > 0)
                    {
                        return true;
                    }
                }
                return false;
            }
            finally
            {
                Close(fd);
            }
        }, ct, TaskCreationOptions.LongRunning, TaskScheduler.Default);
    }

    [LibraryImport("libc", EntryPoint = "syscall", SetLastError = true)]
    private static partial long Syscall(long number, int pid, uint flags);

    [LibraryImport("libc", EntryPoint = "poll", SetLastError = true)]
    private static partial int Poll(ref PollFd fds, ulong count, int timeoutMs);

    [LibraryImport("libc", EntryPoint = "close", SetLastError = true)]
    private static partial int Close(int fd);
}
