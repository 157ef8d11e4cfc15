using System.Text.RegularExpressions;
using KernelRegression.Logs;

namespace KernelRegression.Judging;

/// <summary>
/// What kind of failure a cause line is, with the run-to-run noise taken out: "the same failure" across
/// bisect steps or between a change's base and head means the same signature. The incident's mechanism,
/// an OOM kill and a Python exception (by its type) are kinds of their own; anything else is its line's shape.
/// </summary>
public static partial class CauseSignature
{
    public static string Of(string? cause)
    {
        var c = (cause ?? "").Trim();
        if (c.StartsWith("kernel died at start while the server, its parent, is PID 1", StringComparison.Ordinal))
        {
            return "pid1-parent-poller";
        }
        if (c.StartsWith("out of memory", StringComparison.Ordinal))
        {
            return "out-of-memory";
        }
        if (Exception().Match(c) is { Success: true } m)
        {
            return "exception:" + m.Groups[1].Value;
        }
        var shape = LogLineShape.Of(c);
        return shape.Length > 80 ? shape[..80] : shape;
    }

    [GeneratedRegex(@"\b([A-Za-z_][\w.]*(Error|Exception)): ")]
    private static partial Regex Exception();
}
