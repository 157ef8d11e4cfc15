using KernelRegression.Students;
using KernelRegression.Logs;

namespace KernelRegression.Latency;

/// <summary>
/// A kernel start's parts: the POST, a relaunch after a lost port race, the channels WebSocket and the
/// kernel_info the harness then sends. The server holds the WebSocket until the kernel has answered the
/// server's own first kernel_info_request; at debug level the server logs when it asked ("Requesting kernel
/// info from ID") and when the answer came ("Received kernel info"), or that it gave up ("Timeout waiting for
/// kernel_info reply from ID"), so the WebSocket's time splits into the kernel's answer and the rest (the
/// proxy and the server before it asked). Shares of the budget: POST a fifth, the kernel's answer two
/// fifths, the rest of the WebSocket a fifth (three fifths for the whole WebSocket where the log does not
/// tell), kernel_info a fifth, a relaunch a fifth.
/// </summary>
public static class KernelStartShares
{
    public static IReadOnlyList<StepPart> Of(IReadOnlyList<StepTiming> steps, IReadOnlyList<string> serverLines)
    {
        if (KernelStartParts.Of(steps) is not { } start)
        {
            return [];
        }
        var parts = new List<StepPart> { new($"POST /api/kernels answered in {Format.Duration(start.Post)}", start.Post, 0.2) };
        if (start.Relaunch is { } relaunch)
        {
            parts.Add(new($"its first process lost the race for its ports and the server's restarter relaunched it {Format.Duration(relaunch)} after the death was seen", relaunch, 0.2));
        }
        if (start.Connect is { } connect)
        {
            var ws = connect.Duration;
            if (KernelAnswer(serverLines) is { } answer && answer.Took <= ws)
            {
                parts.Add(new(answer.Text, answer.Took, 0.4));
                parts.Add(new($"the channels WebSocket took {SlowPart.Gap(ws - answer.Took)} besides the kernel's answer (it opened {Format.Duration(ws)} after it was requested)", ws - answer.Took, 0.2));
            }
            else
            {
                parts.Add(new($"the channels WebSocket opened {Format.Duration(ws)} after it was requested (the server's log does not say when the kernel answered it)", ws, 0.6));
            }
        }
        if (start.Ready is { } ready)
        {
            parts.Add(new($"kernel_info_reply came {Format.Duration(ready.Duration)} after the WebSocket opened", ready.Duration, 0.2));
        }
        return parts;
    }

    /// <summary>How long the kernel took to answer the server's first kernel_info_request, from the server's own log.</summary>
    private static StepPart? KernelAnswer(IReadOnlyList<string> serverLines)
    {
        var lines = serverLines.Select(LogLine.Parse).OfType<LogLine>().ToList();
        var asked = lines.FindIndex(l => l.Message.StartsWith("Requesting kernel info from ", StringComparison.Ordinal));
        if (asked < 0)
        {
            return null;
        }
        var id = lines[asked].Message["Requesting kernel info from ".Length..].Trim();
        var end = lines.Skip(asked + 1).FirstOrDefault(l => l.Message.StartsWith("Received kernel info", StringComparison.Ordinal)
            || l.Message.StartsWith($"Timeout waiting for kernel_info reply from {id}", StringComparison.Ordinal));
        if (end is null)
        {
            return null;
        }
        var took = end.At - lines[asked].At;
        return end.Message.StartsWith("Timeout", StringComparison.Ordinal)
            ? new($"the kernel did not answer the server's first kernel_info_request within {SlowPart.Gap(took)} (the server gave up waiting and opened the WebSocket)", took, 0.4)
            : new($"the kernel took {SlowPart.Gap(took)} to answer the server's first kernel_info_request (the server holds the channels WebSocket until it does)", took, 0.4);
    }
}
