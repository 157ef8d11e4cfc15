using System.Text.RegularExpressions;
using KernelRegression.Logs;

namespace KernelRegression.Logs;

/// <summary>
/// A log line with what changes on every run taken out (timestamps, durations, pids, ports, IPs,
/// kernel and session ids, container hostnames, the logger's source line), so that the same
/// event in two cells reads the same and only what really happened differently stays.
/// </summary>
public static partial class LogLineShape
{
    public static string Of(string line)
    {
        var s = CauseFinder.StripAnsi(line).Trim();
        // "[I 2026-11-25 22:50:37.611 SingleUserNotebookApp kernelmanager:179] x" -> "[I] x":
        // the app name and source line change with versions, not with behaviour.
        s = TornadoPrefix().Replace(s, "[$1] ");
        s = Uuid().Replace(s, "<id>");
        s = Timestamp().Replace(s, "<time>");
        s = Clock().Replace(s, "<time>");
        s = Ip().Replace(s, "<ip>");
        s = HexId().Replace(s, "<hex>");
        s = Duration().Replace(s, "<duration>");
        s = Pid().Replace(s, "$1 <pid>");
        s = Port().Replace(s, ":<port>");
        // "restarting kernel (2/5)" is the same event as "(1/5)": one line in a diagnosis, not five.
        s = Attempt().Replace(s, "(<n>/$1)");
        return s;
    }

    [GeneratedRegex(@"^\[([DIWEC])\s+\d{4}-\d\d-\d\d[ T][\d:.]+\s+[^\]]*\]\s*")]
    private static partial Regex TornadoPrefix();

    [GeneratedRegex(@"\b[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}\b")]
    private static partial Regex Uuid();

    [GeneratedRegex(@"\d{4}-\d\d-\d\d[ T]\d\d:\d\d(:\d\d)?([.,]\d+)?(Z|[+-]\d\d:?\d\d)?")]
    private static partial Regex Timestamp();

    [GeneratedRegex(@"\b\d\d:\d\d:\d\d([.,]\d+)?\b")]
    private static partial Regex Clock();

    [GeneratedRegex(@"\b\d{1,3}(\.\d{1,3}){3}\b")]
    private static partial Regex Ip();

    // Hex runs with at least one digit: kernel/session ids, tokens' prefixes, container hostnames.
    [GeneratedRegex(@"\b(?=[0-9a-f]*\d)[0-9a-f]{8,}\b")]
    private static partial Regex HexId();

    [GeneratedRegex(@"\b\d+(\.\d+)?\s?(ms|s|µs|us)\b")]
    private static partial Regex Duration();

    [GeneratedRegex(@"\b(pid|PID|process)[\s=:]+\d+")]
    private static partial Regex Pid();

    [GeneratedRegex(@":\d{2,5}\b")]
    private static partial Regex Port();

    [GeneratedRegex(@"\(\d+/(\d+)\)")]
    private static partial Regex Attempt();
}
