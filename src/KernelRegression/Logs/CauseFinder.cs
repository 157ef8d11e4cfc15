using System.Text.RegularExpressions;

namespace KernelRegression.Logs;

/// <summary>A log line chosen as a cause, and the kind of line it is.</summary>
public sealed record LogCause(LogPattern Pattern, string Line);

/// <summary>
/// Picks the one log line that best explains why a kernel or server died, so a report says
/// "ModuleNotFoundError: No module named 'ipykernel'" rather than "timeout". Patterns come from
/// <see cref="LogPatterns"/>, most specific first; within a pattern the latest line wins.
/// </summary>
public static partial class CauseFinder
{
    public static string? Find(IEnumerable<string> lines) => FindCause(lines)?.Line;

    public static LogCause? FindCause(IEnumerable<string> lines)
    {
        // Debug lines (the suite's servers log at debug level) are chatter, never a cause. The hub's own
        // "didn't respond in 30 seconds" is a symptom: the server's last words, when there are any, say why.
        var clean = lines.Select(StripAnsi).Where(l => l.Length > 0 && !l.StartsWith("[D ", StringComparison.Ordinal)).ToList();
        var symptoms = clean.Where(l => HubGaveUp().IsMatch(l)).ToList();
        return Find([.. clean.Where(l => !HubGaveUp().IsMatch(l))]) ?? Find(symptoms);
    }

    private static LogCause? Find(IReadOnlyList<string> clean)
    {
        foreach (var pattern in LogPatterns.Causes)
        {
            var hit = clean.LastOrDefault(pattern.Regex.IsMatch);
            if (hit is not null)
            {
                var line = pattern.CausePrefix + hit.Trim();
                return new LogCause(pattern, line.Length > 300 ? line[..300] + "…" : line);
            }
        }
        return null;
    }

    /// <summary>
    /// Waits until <paramref name="log"/> holds a cause line after <paramref name="from"/>, or the grace
    /// has passed: a process that has just died may not have reached its followed log yet.
    /// </summary>
    public static async Task WaitForCauseAsync(LogTail log, int from, TimeSpan grace)
    {
        using var giveUp = new CancellationTokenSource(grace);
        try
        {
            await log.WaitForLineAsync(l => Find([l]) is not null, from, giveUp.Token);
        }
        catch (OperationCanceledException)
        {
            // The grace is over: judged from what has arrived.
        }
    }

    public static string StripAnsi(string s) => Ansi().Replace(s, "");

    [GeneratedRegex(@"didn't respond in \d+ seconds|Spawner failed to start|failed to start within \d+ seconds|Timeout waiting for")]
    private static partial Regex HubGaveUp();

    [GeneratedRegex(@"\x1b\[[0-9;]*[A-Za-z]")]
    private static partial Regex Ansi();
}
