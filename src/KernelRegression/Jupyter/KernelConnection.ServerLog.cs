using KernelRegression.Logs;

namespace KernelRegression.Jupyter;

/// <summary>What the kernel's server logs about it: its starts, restarts and death as they are written, and the cause of a death.</summary>
public sealed partial class KernelConnection
{
    /// <summary>
    /// Deaths of this kernel in the server's log. jupyter_client's restarter logs "KernelRestarter:
    /// restarting kernel (n/5)" without saying which kernel; the relaunch that follows names the
    /// connection file at debug level ("Starting kernel: [..., kernel-ID.json]", the suite's servers
    /// run with --debug), and the server names the id when it gives up ("Kernel ID died"). A line is
    /// this kernel's only when it names this kernel: the other kernels of the server are left alone.
    /// The first "Starting kernel" of the id is its own start, every later one a restart.
    /// </summary>
    private void WatchServerLog(int from)
    {
        if (_log is null)
        {
            return;
        }
        var file = $"kernel-{KernelId}.json";
        var starts = 0;
        var at = from;
        async Task FollowAsync()
        {
            while (true)
            {
                var line = await _log.WaitForLineAsync(l => l.Contains(file, StringComparison.Ordinal) || l.Contains(KernelId, StringComparison.Ordinal), at);
                at = IndexAfter(line, at);
                var clean = CauseFinder.StripAnsi(line).Trim();
                if (clean.Contains("Starting kernel", StringComparison.Ordinal) && clean.Contains(file, StringComparison.Ordinal))
                {
                    if (++starts > 1)
                    {
                        RaiseLifecycle(KernelLifecycle.Restarting, $"server log: the server relaunched kernel {KernelId} (a restart)");
                    }
                }
                else if (DiedLine().IsMatch(clean))
                {
                    RaiseLifecycle(clean.Contains("died", StringComparison.OrdinalIgnoreCase) ? KernelLifecycle.Dead : KernelLifecycle.Restarting, "server log: " + clean);
                }
            }
        }
        _ = FollowAsync();
    }

    /// <summary>The index just after the first occurrence of <paramref name="line"/> at or after <paramref name="from"/>.</summary>
    private int IndexAfter(string line, int from)
    {
        var lines = _log!.LinesSince(from);
        for (var i = 0; i < lines.Count; i++)
        {
            if (ReferenceEquals(lines[i], line) || lines[i] == line)
            {
                return from + i + 1;
            }
        }
        return from + lines.Count;
    }

    [System.Text.RegularExpressions.GeneratedRegex(@"[Kk]ernel \S+ (died|restarted|restart failed)|[Kk]ernel restarted: ")]
    private static partial System.Text.RegularExpressions.Regex DiedLine();

    /// <summary>Builds the typed death error, with the cause line taken from the kernel's log; a kernel that never answered kernel_info here died at its start.</summary>
    public async Task<KernelDiedException> DiedException(KernelLifecycleEvent e)
    {
        string? cause = null;
        var tail = "";
        if (_log is not null)
        {
            // The kernel's last words may still be in the pipe when the server's status arrives: give them a moment.
            await CauseFinder.WaitForCauseAsync(_log, _logFrom, TimeSpan.FromMilliseconds(750));
            var lines = _log.LinesSince(_logFrom);
            cause = CauseFinder.Find(lines);
            tail = string.Join('\n', lines.TakeLast(25));
        }
        return new KernelDiedException(KernelId, $"{e.Kind.ToString().ToLowerInvariant()}: {e.Source}", e.At,
            cause ?? $"no cause in the kernel log; last status {ExecutionState}", tail, atStart: KernelInfo is null);
    }
}
