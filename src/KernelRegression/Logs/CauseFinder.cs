using System.Text.RegularExpressions;

namespace KernelRegression.Logs;

/// <summary>
/// Picks the one log line that best explains why a kernel or server died, so a report says
/// "ModuleNotFoundError: No module named 'ipykernel'" rather than "timeout".
/// Rules run most specific first; within a rule the latest line wins.
/// </summary>
public static partial class CauseFinder
{
    // Declared before Rules: static fields initialise in order. A line that says OOM outright beats
    // one that only shows the 137 (SIGKILL) an OOM kill leaves behind.
    private static readonly Regex OomPattern = OutOfMemory();
    private static readonly Regex KilledPattern = Killed137();

    private static readonly (string Name, Regex Pattern)[] Rules =
    [
        ("parent poller", ParentExited()),
        ("out of memory", OomPattern),
        ("killed, 137", KilledPattern),
        ("python exception", PythonException()),
        ("permission", PermissionDenied()),
        ("exec failure", ExecFailure()),
        ("restarter", Restarter()),
    ];

    public static string? Find(IEnumerable<string> lines)
    {
        var clean = lines.Select(StripAnsi).Where(l => l.Length > 0).ToList();
        foreach (var (_, pattern) in Rules)
        {
            var hit = clean.LastOrDefault(pattern.IsMatch);
            if (hit is not null)
            {
                // An OOM kill leaves no traceback, and its log line rarely says "memory": name it.
                var line = (pattern == OomPattern || pattern == KilledPattern ? "out of memory: " : "") + hit.Trim();
                return line.Length > 300 ? line[..300] + "…" : line;
            }
        }
        return null;
    }

    /// <summary>
    /// Waits until <paramref name="log"/> holds a cause line after <paramref name="from"/>, or the grace
    /// has passed: a process that has just died may not have reached its followed log yet.
    /// </summary>
    public static async Task WaitForCauseAsync(LogTail log, int from, TimeSpan grace) =>
        await Task.WhenAny(log.WaitForLineAsync(l => Find([l]) is not null, from), Task.Delay(grace));

    public static string StripAnsi(string s) => Ansi().Replace(s, "");

    [GeneratedRegex(@"Parent appears to have exited")]
    private static partial Regex ParentExited();

    [GeneratedRegex(@"MemoryError|OOMKilled|oom_killed=True|[Oo]ut of memory")]
    private static partial Regex OutOfMemory();

    [GeneratedRegex(@"exit code[= ]137|status=137|\bKilled\b")]
    private static partial Regex Killed137();

    [GeneratedRegex(@"^(\s*|.*\] )?([A-Za-z_][\w.]*(Error|Exception|Exit)|KeyError|KeyboardInterrupt): ")]
    private static partial Regex PythonException();

    [GeneratedRegex(@"Permission denied|Operation not permitted|Read-only file system")]
    private static partial Regex PermissionDenied();

    [GeneratedRegex(@"No such file or directory|not found|exec format error|cannot execute")]
    private static partial Regex ExecFailure();

    [GeneratedRegex(@"KernelRestarter: (restart failed|restarting kernel)|Kernel (died|restarted)")]
    private static partial Regex Restarter();

    [GeneratedRegex(@"\x1b\[[0-9;]*[A-Za-z]")]
    private static partial Regex Ansi();
}
