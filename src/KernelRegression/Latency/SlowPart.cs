using System.Globalization;
using System.Text.RegularExpressions;
using KernelRegression.Evidence;
using KernelRegression.Jupyter;
using KernelRegression.Logs;

namespace KernelRegression.Latency;

/// <summary>
/// The cause of a step over budget, built from what was seen: the step's parts as recorded, the kernel's
/// protocol timeline, and the hub's and server's own log lines. Where a step has parts (spawn, kernel start,
/// first execute), each part has a share of the step's budget and the cause names the part that went over
/// its share, measured, e.g. "kernel ready after 61.2 s (budget 40 s); over its share: the kernel took 60 s
/// to answer the server's first kernel_info_request (…) (its share 16 s); within theirs: POST /api/kernels
/// answered in 0.2 s, …". A slow step whose time went elsewhere names that other part, so a scenario's
/// expected words match only its own mechanism. Parts the evidence cannot tell apart are not guessed.
/// </summary>
public static partial class SlowPart
{
    public static string Explain(StepVerdict v, CellEvidence evidence, LatencyTrace trace, double? scale = null)
    {
        var head = $"{Head(v)} {Format.Duration(v.Measured)} (budget {Budget(v, scale ?? Deadline.Scale)})";
        if (Parts(v, evidence, trace) is { Count: > 0 } parts && v.Limit is { } limit)
        {
            return head + "; " + Shares(parts, limit);
        }
        return Detail(v, evidence, trace) is { } detail ? $"{head}: {detail}" : head;
    }

    /// <summary>Where the step's time went, as far as the evidence tells; null where it tells nothing.</summary>
    public static string? Detail(StepVerdict v, CellEvidence evidence, LatencyTrace trace) =>
        Parts(v, evidence, trace) is { Count: > 0 } parts
            ? string.Join("; ", parts.Select(p => p.Text))
            : v.Step.Name switch
            {
                "spawn" => SpawnWithoutParts(trace),
                "channels-open" => "a server answers the handshake once the kernel has answered its own kernel_info request",
                "first-execute" => FirstExecuteUnanswered(evidence.Timeline),
                "execute-p95" => SlowestExecute(evidence.Timeline, v.Samples),
                "interrupt" => Interrupt(evidence.Timeline, v.Measured),
                "restart" => Restart(evidence.Timeline, v.Measured),
                "server-stop" => ServerStop(trace),
                _ => null,
            };

    /// <summary>The step's parts with their shares of its budget; empty where the step has none or the evidence does not tell them.</summary>
    internal static IReadOnlyList<StepPart> Parts(StepVerdict v, CellEvidence evidence, LatencyTrace trace) => v.Step.Name switch
    {
        "spawn" => SpawnParts.Of(trace),
        "kernel-start" => KernelStartShares.Of(trace.Steps.Count > 0 ? trace.Steps : evidence.Steps, trace.ServerLines),
        "first-execute" => FirstExecute(evidence),
        _ => [],
    };

    /// <summary>The part most over its share named first, then any other over theirs, then the rest.</summary>
    private static string Shares(IReadOnlyList<StepPart> parts, TimeSpan limit)
    {
        TimeSpan ShareOf(StepPart p) => limit * p.Share;
        var over = parts.Where(p => p.Took > ShareOf(p)).OrderByDescending(p => p.Took / ShareOf(p)).ToList();
        var within = parts.Where(p => !over.Contains(p)).Select(p => p.Text).ToList();
        if (over.Count == 0)
        {
            return "no part over its share: " + string.Join("; ", within);
        }
        var text = $"over its share: {over[0].Text} (its share {Format.Duration(ShareOf(over[0]))})";
        if (over.Count > 1)
        {
            text += "; also over theirs: " + string.Join("; ", over.Skip(1).Select(p => $"{p.Text} (its share {Format.Duration(ShareOf(p))})"));
        }
        return within.Count > 0 ? $"{text}; within theirs: {string.Join("; ", within)}" : text;
    }

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

    /// <summary>A spawn the hub's log has no parts of: its own count, or that it has none.</summary>
    private static string? SpawnWithoutParts(LatencyTrace trace) =>
        trace.User is not { } user ? null
        : trace.HubLines.Select(LogLine.Parse).OfType<LogLine>().FirstOrDefault(l => l.Message.StartsWith($"User {user} took ", StringComparison.Ordinal)) is { } took
            ? $"the hub's own count: \"{took.Message}\""
            : "no line of the hub's log tells this spawn's parts apart";

    /// <summary>
    /// The first execute_request on the kernel's timeline: the wait until the kernel began it (busy), and the
    /// time it ran; with the CPU cgroup's counters, whether a CPU limit held the container back meanwhile.
    /// </summary>
    internal static IReadOnlyList<StepPart> FirstExecute(CellEvidence evidence)
    {
        var timeline = evidence.Timeline;
        var request = timeline.FirstOrDefault(e => e.Direction == "→" && e.MsgType == "execute_request");
        var busy = request is null ? null : timeline.FirstOrDefault(e => e.ParentId == request.MsgId && e.MsgType == "status" && e.Summary == "busy");
        var reply = request is null ? null : Child(timeline, request, "execute_reply");
        if (request is null || busy is null || reply is null)
        {
            return [];
        }
        var ran = reply.At - busy.At;
        return
        [
            new($"the kernel began it {Gap(busy.At - request.At)} after the request", busy.At - request.At, 0.25),
            new($"the kernel was busy {Gap(ran)} running {Code(timeline, request)}{Cpu(evidence, ran)}", ran, 0.75),
        ];
    }

    /// <summary>Whether the CPU cgroup says a CPU limit held the container back for at least half the time the cell ran.</summary>
    private static string Cpu(CellEvidence evidence, TimeSpan ran)
    {
        if (evidence.Server.Container?.Cpu is not { } cpu)
        {
            return "";
        }
        var limit = evidence.Launch?.CpuLimit is { } l ? $" ({l.ToString("0.###", CultureInfo.InvariantCulture)} CPU)" : "";
        return cpu.ThrottledTime >= ran / 2
            ? $", its container throttled by its CPU limit{limit}: {cpu} since it started"
            : $", its container not held back by a CPU limit{limit}: {cpu} since it started";
    }

    /// <summary>An execute the timeline does not show answered: what it does show.</summary>
    private static string? FirstExecuteUnanswered(IReadOnlyList<TimelineEntry> timeline)
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
    internal static IEnumerable<(LogLine Line, Match Match)> ServerCalls(IEnumerable<LogLine> hub, string method, string user) =>
        hub.Select(l => (Line: l, Match: ApiCall().Match(l.Message)))
            .Where(x => x.Match.Success && x.Match.Groups["method"].Value == method
                && x.Match.Groups["path"].Value.StartsWith($"/hub/api/users/{user}/server", StringComparison.Ordinal)
                && !x.Match.Groups["path"].Value.Contains("/progress", StringComparison.Ordinal));

    internal static TimeSpan Ms(string ms) => TimeSpan.FromMilliseconds(double.Parse(ms, CultureInfo.InvariantCulture));

    internal static string Gap(TimeSpan t) => Format.Duration(t < TimeSpan.Zero ? TimeSpan.Zero : t);

    /// <summary>The docker spawner's stop line: "Container kr-RUN-NAME for NAME exited with code 0, 1.2 s after the stop request".</summary>
    [GeneratedRegex(@"^Container \S+ for .*? (?<how>exited with code -?\d+|did not exit within .*?\)), (?<s>\d+(?:\.\d+)?) s after the stop request")]
    private static partial Regex ContainerStopped();

    /// <summary>JupyterHub's access log: "202 POST /hub/api/users/NAME/server (kr-harness@127.0.0.1) 722.54ms".</summary>
    [GeneratedRegex(@"^(?<status>\d{3}) (?<method>[A-Z]+) (?<path>\S+) .*?(?<ms>\d+(?:\.\d+)?)ms\s*$")]
    private static partial Regex ApiCall();
}
