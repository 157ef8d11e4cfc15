using KernelRegression.Logs;

namespace KernelRegression.Latency;

/// <summary>
/// A spawn's parts, from the hub's and the server's own timestamps: the spawner creating the server's
/// container after the request (docker: its "Creating container" line, after any init containers); the
/// server's first log line after that (what runs before the server: the image's start script, start
/// hooks); and the hub seeing the server answer after its first line (the server's own start, and what
/// the spawner waits for before it reports the container started, such as a postStart hook). Shares:
/// a quarter, a quarter, a half (a half each before and after the first line where no container is made).
/// </summary>
public static class SpawnParts
{
    public static IReadOnlyList<StepPart> Of(LatencyTrace trace)
    {
        if (trace.User is not { } user)
        {
            return [];
        }
        var hub = trace.HubLines.Select(LogLine.Parse).OfType<LogLine>().ToList();
        var post = SlowPart.ServerCalls(hub, "POST", user).FirstOrDefault();
        DateTime? requested = post.Line is { } p ? p.At - SlowPart.Ms(post.Match.Groups["ms"].Value) : null;
        var created = hub.FirstOrDefault(l => l.Message.StartsWith("Creating container ", StringComparison.Ordinal))?.At;
        var postStart = hub.FirstOrDefault(l => l.Message.StartsWith("postStart hook of ", StringComparison.Ordinal) && l.Message.EndsWith(" completed", StringComparison.Ordinal))?.At;
        var inits = hub.Where(l => l.Message.StartsWith("Init container ", StringComparison.Ordinal) && l.Message.Contains(" completed in ", StringComparison.Ordinal)).ToList();
        var up = hub.FirstOrDefault(l => l.Message.StartsWith($"User {user} took ", StringComparison.Ordinal))?.At
            ?? hub.FirstOrDefault(l => l.Message.StartsWith($"Server {user} is ready", StringComparison.Ordinal))?.At;
        // The server's first words, when its clock agrees with the hub's (both containers, or both this machine).
        var first = trace.ServerLines.Select(LogLine.Parse).OfType<LogLine>().FirstOrDefault()?.At;
        if (first is { } f && (requested is { } r0 && f < r0.AddSeconds(-2) || up is { } u0 && f > u0.AddSeconds(2)))
        {
            first = null;
        }
        var parts = new List<StepPart>();
        if (created is { } c && requested is { } r)
        {
            var ofInits = inits.Count > 0 ? $" (after {inits.Count} init container(s): the last completed {SlowPart.Gap(inits[^1].At - r)} after the request)" : "";
            parts.Add(new($"the spawner created the server's container {SlowPart.Gap(c - r)} after the spawn request{ofInits}", c - r, 0.25));
        }
        var from = created ?? requested;
        var fromWhat = created is null ? "the spawn request" : "its container was created";
        if (first is { } firstLine && from is { } f1)
        {
            parts.Add(new($"the server logged its first line {SlowPart.Gap(firstLine - f1)} after {fromWhat}", firstLine - f1, created is null ? 0.5 : 0.25));
            from = firstLine;
            fromWhat = "its first line";
        }
        if (up is { } ready && from is { } f2)
        {
            var hook = postStart is { } ps && first is { } fl && ps > fl
                ? $" (the spawner reported its container started only once its postStart hook completed, {SlowPart.Gap(ps - fl)} after the server's first line)"
                : "";
            parts.Add(new($"the hub saw the server answer {SlowPart.Gap(ready - f2)} after {fromWhat}{hook}", ready - f2, 1 - parts.Sum(p => p.Share)));
        }
        return parts;
    }
}
