using System.Runtime.InteropServices;

namespace KernelRegression.Host;

/// <summary>
/// Waits for a process to exit without being its parent: Linux's pidfd_open gives a descriptor that
/// becomes readable when the process exits. For a kernel this tells the harness it died
/// the moment it dies, instead of when the server's restarter next polls (every 3 s).
/// The descriptor is opened first and waited on after, so a caller can open it before it tells anyone
/// the process exists: whoever then kills the process cannot make its exit go unseen.
/// </summary>
public sealed partial class ProcessExit : IDisposable
{
    private const int SysPidfdOpen = 434; // x86_64 and aarch64
    private const int NoSuchProcess = 3; // ESRCH
    private const short PollIn = 0x1;
    private int _fd;

    private ProcessExit(int fd) => _fd = fd;

    [StructLayout(LayoutKind.Sequential)]
    private struct PollFd
    {
        public int Fd;
        public short Events;
        public short Revents;
    }

    /// <summary>True when the process had exited and was reaped before it could be watched.</summary>
    public bool AlreadyGone => _fd == -NoSuchProcess;

    /// <summary>Opens the watch on <paramref name="pid"/>; null when this kernel has no pidfd (Linux before 5.3).</summary>
    public static ProcessExit? Open(int pid)
    {
        var fd = (int)Syscall(SysPidfdOpen, pid, 0);
        if (fd >= 0)
        {
            return new ProcessExit(fd);
        }
        return Marshal.GetLastPInvokeError() == NoSuchProcess ? new ProcessExit(-NoSuchProcess) : null;
    }

    /// <summary>Completes true when the process exits (at once if it is gone), false when cancelled first.</summary>
    public Task<bool> WaitAsync(CancellationToken ct)
    {
        if (AlreadyGone)
        {
            return Task.FromResult(true);
        }
        var fd = _fd;
        return Task.Factory.StartNew(() =>
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
        }, ct, TaskCreationOptions.LongRunning, TaskScheduler.Default);
    }

    /// <summary>Closes the descriptor; call after <see cref="WaitAsync"/> has completed.</summary>
    public void Dispose()
    {
        var fd = Interlocked.Exchange(ref _fd, -1);
        if (fd >= 0)
        {
            Close(fd);
        }
    }

    [LibraryImport("libc", EntryPoint = "syscall", SetLastError = true)]
    private static partial long Syscall(long number, int pid, uint flags);

    [LibraryImport("libc", EntryPoint = "poll", SetLastError = true)]
    private static partial int Poll(ref PollFd fds, ulong count, int timeoutMs);

    [LibraryImport("libc", EntryPoint = "close", SetLastError = true)]
    private static partial int Close(int fd);
}
