using System.Globalization;
using System.Text.RegularExpressions;

namespace KernelRegression.Logs;

/// <summary>
/// A line in the log format JupyterHub and its single-user servers share:
/// <c>[I 2026-11-30 14:27:08.385 JupyterHub base:963] message</c>. The time is the writer's wall clock;
/// only differences between lines of the same machine are used.
/// </summary>
public sealed partial record LogLine(char Level, DateTime At, string Source, string Message)
{
    public static LogLine? Parse(string line)
    {
        var m = Shape().Match(line);
        return m.Success && DateTime.TryParseExact(m.Groups["at"].Value, "yyyy-MM-dd HH:mm:ss.fff", CultureInfo.InvariantCulture, DateTimeStyles.None, out var at)
            ? new LogLine(m.Groups["level"].Value[0], at, m.Groups["source"].Value, m.Groups["message"].Value)
            : null;
    }

    // Colour codes are tolerated: a server started with a terminal may still write them.
    [GeneratedRegex(@"^(?:\x1b\[[0-9;]*m)*\[(?<level>[A-Z]) (?<at>\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\.\d{3}) (?<source>[^\]]*)\](?:\x1b\[[0-9;]*m)*\s?(?<message>.*)$")]
    private static partial Regex Shape();
}
