using System.Globalization;
using System.Text.RegularExpressions;
using KernelRegression.Evidence;
using KernelRegression.Jupyter;

namespace KernelRegression.Latency;

/// <summary>
/// The cause of a step over budget, built from what was seen: the step's parts as recorded, the kernel's
/// protocol timeline, and the hub's and server's own log lines, so it names the slow part, e.g. "kernel
/// ready after 61.2 s (budget 15 s): POST /api/kernels answered in 0.2 s; the channels WebSocket opened
/// 60.1 s after it was requested; kernel_info_reply came 40 ms after that". Parts that cannot be told
/// apart from the evidence are not guessed: the sentence says what was measured.
/// </summary>
public static partial class SlowPart
{
    public static string Explain(StepVerdict v, CellEvidence evidence, LatencyTrace trace, double? scale = null)
    {
        var head = $"{Head(v)} {Format.Duration(v.Measured)} (budget {Budget(v, scale ?? Deadline.Scale)})";
        return Detail(v, evidence, trace) is { } detail ? $"{head}: {detail}" : head;
    }

    /// <summary>Where the step's time went, as far as the evidence tells; null where it tells nothing.</summary>
    public static string? Detail(StepVerdict v, CellEvidence evidence, LatencyTrace trace) =>
        v.Step.Name switch
        {
            "spawn" => Spawn(trace),
            "kernel-start" => KernelStart(trace.Steps.Count > 0 ? trace.Steps : evidence.Steps),
            "channels-open" => "a server answers the handshake once the kernel has answered its own kernel_info request",
            "first-execute" => FirstExecute(evidence.Timeline),
            "execute-p95" => SlowestExecute(evidence.Timeline, v.Samples),
            "interrupt" => Interrupt(evidence.Timeline, v.Measured),
            "restart" => Restart(evidence.Timeline, v.Measured),
            "server-stop" => ServerStop(trace),
            _ => null,
        };

    private static string Head(StepVerdict v) => v.Step.Name switch
    {
        "kernel-start" => "kernel ready after",
        "channels-open" => "channels WebSocket open after",
        "execute-p95" => $"execute p95 over {v.Samples} executes was",
        _ => v.Step.Label + " took",
    };

    private static string Budget(StepVerdict v, double scale) =>
        v.Budget is { } b && Math.Abs(scale - 1) > 1e-9
            ? $"{Format.Seconds(b.Seconds)} × KR_TIMEOUT_SCALE {scale.ToString("0.##", CultureInfo.InvariantCulture)} = {Format.Duration(v.Limit!.Value)}"
            : Format.Duration(v.Limit ?? TimeSpan.Zero);

    /// <summary>
    /// Request → container started (docker: the spawner's "Container … started at" line) → the server's
    /// first log line → the hub saw it answer HTTP ("User … took N seconds to start"), from the hub's and
    /// the server's own timestamps.
    /// </summary>
    internal static string? Spawn(LatencyTrace trace)
    {
        if (trace.User is not { } user)
        {
            return null;
        }
        var hub = trace.HubLines.Select(LogLine.Parse).OfType<LogLine>().ToList();
        var post = ServerCalls(hub, "POST", user).FirstOrDefault();
        DateTime? requested = post.Line is { } p ? p.At - Ms(post.Match.Groups["ms"].Value) : null;
        var container = hub.FirstOrDefault(l => l.Message.StartsWith("Container ", StringComparison.Ordinal) && l.Message.Contains(" started at ", StringComparison.Ordinal))?.At;
        var up = hub.FirstOrDefault(l => l.Message.StartsWith($"User {user} took ", StringComparison.Ordinal))?.At
            ?? hub.FirstOrDefault(l => l.Message.StartsWith($"Server {user} is ready", StringComparison.Ordinal))?.At;
        // The server's first words, when its clock agrees with the hub's (both containers, or both this machine).
        var first = trace.ServerLines.Select(LogLine.Parse).OfType<LogLine>().FirstOrDefault()?.At;
        if (first is { } f && (requested is { } r0 && f < r0.AddSeconds(-2) || up is { } u0 && f > u0.AddSeconds(2)))
        {
            first = null;
        }
        var parts = new List<string>();
        var from = requested;
        var fromWhat = "the spawn request";
        if (container is { } c)
        {
            if (requested is { } r)
            {
                parts.Add($"the container started {Gap(c - r)} after the spawn request");
            }
            from = c;
            fromWhat = "the container started";
        }
        if (first is { } firstLine && from is { } f1)
        {
            parts.Add($"the server logged its first line {Gap(firstLine - f1)} after {fromWhat}");
            from = firstLine;
            fromWhat = "that";
        }
        if (up is { } ready && from is { } f2)
        {
            parts.Add(fromWhat == "that"
                ? $"it answered the hub's HTTP check {Gap(ready - f2)} after that"
                : $"the server answered the hub's HTTP check {Gap(ready - f2)} after {fromWhat}");
        }
        if (parts.Count == 0)
        {
            return hub.FirstOrDefault(l => l.Message.StartsWith($"User {user} took ", StringComparison.Ordinal)) is { } took
                ? $"the hub's own count: \"{took.Message}\""
                : "no line of the hub's log tells this spawn's parts apart";
        }
        return string.Join("; ", parts);
    }

    /// <summary>The POST, the channels WebSocket and kernel_info of the cell's first kernel, as recorded.</summary>
    internal static string? KernelStart(IReadOnlyList<StepTiming> steps)
    {
        if (KernelStartParts.Of(steps) is not { } start)
        {
            return null;
        }
        var text = $"POST /api/kernels answered in {Format.Duration(start.Post)}";
        if (start.Relaunch is { } relaunch)
        {
            text += $"; its first process lost the race for its ports and the server's restarter relaunched it {Format.Duration(relaunch)} after the death was seen";
        }
        if (start.Connect is { } connect)
        {
            text += $"; the channels WebSocket opened {Format.Duration(connect.Duration)} after it was requested";
        }
        if (start.Ready is { } ready)
        {
            text += $"; kernel_info_reply came {Format.Duration(ready.Duration)} after that";
        }
        return text;
    }

    /// <summary>The first execute_request on the kernel's timeline: how long until the kernel began it (busy), and how long it ran.</summary>
    internal static string? FirstExecute(IReadOnlyList<TimelineEntry> timeline)
    {
        var request = timeline.FirstOrDefault(e => e.Direction == "→" && e.MsgType == "execute_request");
        return request is null ? null : ExecuteParts(timeline, request);
    }

    internal static string? SlowestExecute(IReadOnlyList<TimelineEntry> timeline, int executes)
    {
        var answered = timeline.Where(e => e.Direction == "→" && e.MsgType == "execute_request")
            .Select(r => (Request: r, Reply: Child(timeline, r, "execute_reply")))
            .Where(x => x.Reply is not null)
            .ToList();
        if (answered.Count == 0)
        {
            return null;
        }
        var slowest = answered.MaxBy(x => x.Reply!.At - x.Request.At);
        return $"the slowest of the {executes}, {Code(timeline, slowest.Request)}, took {Format.Duration(slowest.Reply!.At - slowest.Request.At)}";
    }

    private static string ExecuteParts(IReadOnlyList<TimelineEntry> timeline, TimelineEntry request)
    {
        var busy = timeline.FirstOrDefault(e => e.ParentId == request.MsgId && e.MsgType == "status" && e.Summary == "busy");
        var reply = Child(timeline, request, "execute_reply");
        var code = Code(timeline, request);
        return (busy, reply) switch
        {
            ({ } b, { } r) => $"the kernel began it {Gap(b.At - request.At)} after the request and was busy {Gap(r.At - b.At)} running {code}",
            (null, { } r) => $"execute_reply to {code} came {Gap(r.At - request.At)} after the request",
            _ => $"no execute_reply to {code} was seen",
        };
    }

    /// <summary>The interrupted cell: when the kernel raised KeyboardInterrupt, counted from the cell's start.</summary>
    internal static string? Interrupt(IReadOnlyList<TimelineEntry> timeline, TimeSpan measured)
    {
        var error = timeline.FirstOrDefault(e => e.Direction == "←" && e.MsgType == "error" && e.Summary.StartsWith("KeyboardInterrupt", StringComparison.Ordinal));
        var input = error is null ? null : timeline.FirstOrDefault(e => e.ParentId == error.ParentId && e.MsgType == "execute_input");
        if (error is null || input is null)
        {
            return "no KeyboardInterrupt was seen on the kernel's channels";
        }
        var kernel = error.At - input.At;
        return kernel < measured / 2
            ? $"the kernel raised KeyboardInterrupt {Gap(kernel)} after the cell started, so the rest went to the server answering the interrupt request"
            : $"the kernel raised KeyboardInterrupt {Gap(kernel)} after the sleeping cell started (the server sends it SIGINT or an interrupt_request)";
    }

    /// <summary>After the restart request: whether the open channels answered kernel_info, and when.</summary>
    internal static string? Restart(IReadOnlyList<TimelineEntry> timeline, TimeSpan measured)
    {
        var marker = timeline.FirstOrDefault(e => e.MsgType == "execute_input" && e.Summary.Contains("before-restart", StringComparison.Ordinal));
        if (marker is null)
        {
            return null;
        }
        var ask = timeline.FirstOrDefault(e => e.At > marker.At && e.Direction == "→" && e.MsgType == "kernel_info_request");
        var answer = ask is null ? null : Child(timeline, ask, "kernel_info_reply");
        return (ask, answer) switch
        {
            ({ } q, { } a) => $"the server answered the restart request after about {Gap(measured - (a.At - q.At))}; kernel_info_reply came {Gap(a.At - q.At)} after the harness asked",
            ({ }, null) => "the open channels never answered kernel_info after the restart, so a new connection was opened (the harness waits 10 s for the old one first)",
            _ => "no kernel_info_request followed the restart on the open channels",
        };
    }

    /// <summary>The hub's answer to the stop request (its access log line), and on docker when the container was removed.</summary>
    internal static string? ServerStop(LatencyTrace trace)
    {
        if (trace.User is not { } user)
        {
            return null;
        }
        var hub = trace.HubLines.Select(LogLine.Parse).OfType<LogLine>().ToList();
        var delete = ServerCalls(hub, "DELETE", user).LastOrDefault();
        if (delete.Line is null)
        {
            return "the hub's log has no line of the stop request";
        }
        var status = delete.Match.Groups["status"].Value;
        var took = Ms(delete.Match.Groups["ms"].Value);
        var text = $"the hub answered {status} after {Gap(took)}" + (status == "202" ? " (the stop was still pending when the hub stopped waiting)" : "");
        // The docker spawner says how the server's container ended: on its own, or killed when its grace ran out.
        if (hub.Select(l => ContainerStopped().Match(l.Message)).LastOrDefault(m => m.Success) is { } ended)
        {
            text += $"; the server's container {ended.Groups["how"].Value}, {Gap(TimeSpan.FromSeconds(double.Parse(ended.Groups["s"].Value, CultureInfo.InvariantCulture)))} after the stop request";
        }
        var removed = hub.LastOrDefault(l => l.Message.StartsWith("Removed container ", StringComparison.Ordinal));
        if (removed is not null)
        {
            text += $"; the container was removed {Gap(removed.At - (delete.Line.At - took))} after the stop request";
        }
        return text;
    }

    private static TimelineEntry? Child(IReadOnlyList<TimelineEntry> timeline, TimelineEntry request, string type) =>
        timeline.FirstOrDefault(e => e.ParentId == request.MsgId && e.MsgType == type);

    private static string Code(IReadOnlyList<TimelineEntry> timeline, TimelineEntry request)
    {
        var input = Child(timeline, request, "execute_input")?.Summary;
        if (string.IsNullOrWhiteSpace(input))
        {
            return "the cell";
        }
        // The timeline writes newlines as \n; a leading comment says less than the code after it.
        var lines = input.Split("\\n").SkipWhile(l => l.TrimStart().StartsWith('#')).ToList();
        var code = string.Join("\\n", lines.Count > 0 ? lines : [input]).Replace("`", "'", StringComparison.Ordinal);
        return $"`{(code.Length > 60 ? code[..60] + "…" : code)}`";
    }

    /// <summary>The hub's access log lines of one method on the user's server (not its progress stream).</summary>
    private static IEnumerable<(LogLine Line, Match Match)> ServerCalls(IEnumerable<LogLine> hub, string method, string user) =>
        hub.Select(l => (Line: l, Match: ApiCall().Match(l.Message)))
            .Where(x => x.Match.Success && x.Match.Groups["method"].Value == method
                && x.Match.Groups["path"].Value.StartsWith($"/hub/api/users/{user}/server", StringComparison.Ordinal)
                && !x.Match.Groups["path"].Value.Contains("/progress", StringComparison.Ordinal));

    private static TimeSpan Ms(string ms) => TimeSpan.FromMilliseconds(double.Parse(ms, CultureInfo.InvariantCulture));

    private static string Gap(TimeSpan t) => Format.Duration(t < TimeSpan.Zero ? TimeSpan.Zero : t);

    /// <summary>The docker spawner's stop line: "Container kr-RUN-NAME for NAME exited with code 0, 1.2 s after the stop request".</summary>
    [GeneratedRegex(@"^Container \S+ for .*? (?<how>exited with code -?\d+|did not exit within .*?\)), (?<s>\d+(?:\.\d+)?) s after the stop request")]
    private static partial Regex ContainerStopped();

    /// <summary>JupyterHub's access log: "202 POST /hub/api/users/NAME/server (kr-harness@127.0.0.1) 722.54ms".</summary>
    [GeneratedRegex(@"^(?<status>\d{3}) (?<method>[A-Z]+) (?<path>\S+) .*?(?<ms>\d+(?:\.\d+)?)ms\s*$")]
    private static partial Regex ApiCall();
}
