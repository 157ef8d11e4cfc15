using System.Text.RegularExpressions;

namespace KernelRegression.Logs;

/// <summary>
/// A kind of log line: what it looks like, whether it can be a cause (and in which order causes are
/// preferred), and how much it weighs in a diagnosis when only the failing cell printed it.
/// </summary>
public sealed record LogPattern(string Name, Regex Regex, bool IsCause, int DiagnosisPoints, string Why, string CausePrefix = "");

/// <summary>
/// The one table of log lines that explain a death: the cause finder reads it in order (most specific
/// first), the diagnosis by weight. A line that says OOM outright beats one that only shows the 137
/// (SIGKILL) an OOM kill leaves behind; any exception beats the restarter's generic line.
/// </summary>
public static partial class LogPatterns
{
    public static IReadOnlyList<LogPattern> All { get; } =
    [
        // WHY: the incident's own last words (ipykernel >= 4.6 logs them; the pre-#233 poller exits silently).
        new("parent poller", ParentExited(), true, 28, "the kernel's parent poller shut it down"),
        // WHY: an OOM kill leaves no traceback, and its log line rarely says "memory": the cause names it.
        new("out of memory", OutOfMemory(), true, 26, "a process was killed", "out of memory: "),
        new("killed, 137", Killed137(), true, 26, "a process was killed", "out of memory: "),
        new("python exception", PythonException(), true, 26, "an exception only the failing cell raised"),
        new("permission", PermissionDenied(), true, 24, "a permission was refused"),
        new("exec failure", ExecFailure(), true, 18, "a file or program was missing"),
        new("restarter", Restarter(), true, 22, "the server saw the kernel die and restarted it"),
        // Diagnosis only: lines that surround a death rather than name it.
        new("exception mention", ExceptionMention(), false, 26, "an exception only the failing cell raised"),
        new("traceback", Traceback(), false, 20, "a traceback only the failing cell printed"),
        new("warning or error", WarningOrError(), false, 15, "a warning or error only the failing cell logged"),
    ];

    public static IEnumerable<LogPattern> Causes => All.Where(p => p.IsCause);

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

    [GeneratedRegex(@"KernelRestarter|Kernel (died|restarted)|restart failed")]
    private static partial Regex Restarter();

    [GeneratedRegex(@"(^|\s)[A-Za-z_][\w.]*(Error|Exception): |\bError: ")]
    private static partial Regex ExceptionMention();

    [GeneratedRegex(@"^Traceback \(most recent call last\)")]
    private static partial Regex Traceback();

    [GeneratedRegex(@"^\[[WEC]\]|\b(ERROR|WARNING|CRITICAL)\b")]
    private static partial Regex WarningOrError();
}
