using System.Text.RegularExpressions;

namespace KernelRegression.Logs;

/// <summary>
/// A kind of log line: what it looks like, whether it can be a cause (and in which order causes are
/// preferred), and how much it weighs in a diagnosis when only the failing cell printed it.
/// </summary>
public sealed record LogPattern(string Name, Regex Regex, bool IsCause, int DiagnosisPoints, string Why, string CausePrefix = "");

/// <summary>
/// The one table of log lines that explain a death: the cause finder reads it in order (most specific
/// first), the diagnosis by weight. Out of memory is claimed only from a line that counts it (Docker's
/// OOMKilled as the spawner logs it) or the kernel's own MemoryError; a SIGKILL (a shell's "Killed",
/// exit 137) is said as what it is, whoever sent it. Any exception beats the restarter's generic line.
/// </summary>
public static partial class LogPatterns
{
    /// <summary>What a SIGKILL line's cause starts with: not "out of memory", which only a counter shows.</summary>
    public const string KilledPrefix = "killed by SIGKILL: ";

    public static IReadOnlyList<LogPattern> All { get; } =
    [
        // WHY: a kernel's own words when its parent went away (ipykernel >= 4.6; the pre-#233 poller exits silently).
        new("parent poller", ParentExited(), true, 28, "the kernel's parent poller shut it down"),
        // WHY: an OOM kill leaves no traceback; Docker's OOMKilled (in the spawner's line) or a MemoryError says it was one.
        new("out of memory", OutOfMemory(), true, 26, "a process ran out of memory", "out of memory: "),
        new("killed, 137", Killed137(), true, 26, "a process was killed by SIGKILL", KilledPrefix),
        new("python exception", PythonException(), true, 26, "an exception only the failing cell raised"),
        new("permission", PermissionDenied(), true, 24, "a permission was refused"),
        // WHY: jupyterhub-singleuser exits with this line when the hub's variables are not in its env (an
        // extra_container_config.env that replaced them, a server started by hand).
        new("server without its hub", ServerWithoutHub(), true, 24, "the single-user server was started without the hub's variables"),
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

    [GeneratedRegex(@"\bMemoryError\b|\bOOMKilled\b(?![\s:=""']*[Ff]alse)|oom_killed=True")]
    private static partial Regex OutOfMemory();

    [GeneratedRegex(@"exit code[= ]137|status=137|\bKilled\b")]
    private static partial Regex Killed137();

    [GeneratedRegex(@"^(\s*|.*\] )?([A-Za-z_][\w.]*(Error|Exception|Exit)|KeyError|KeyboardInterrupt): ")]
    private static partial Regex PythonException();

    [GeneratedRegex(@"Permission denied|Operation not permitted|Read-only file system")]
    private static partial Regex PermissionDenied();

    [GeneratedRegex(@"\bJUPYTERHUB_\w+ env is required to run jupyterhub-singleuser")]
    private static partial Regex ServerWithoutHub();

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
