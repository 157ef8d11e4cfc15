using System.Collections.Concurrent;
using System.Diagnostics;

namespace KernelRegression.Jupyter;

/// <summary>One thing seen on the wire or in a lifecycle, with its time since the timeline began.</summary>
public sealed record TimelineEntry(TimeSpan At, string Direction, string Channel, string MsgType, string MsgId, string? ParentId, string Summary)
{
    public override string ToString() =>
        $"{At.TotalMilliseconds,9:0.0} ms {Direction} {Channel,-7} {MsgType,-20} {Summary}";
}

/// <summary>Every kernel message and lifecycle event of a connection, in order, with timestamps.</summary>
public sealed class Timeline
{
    private readonly ConcurrentQueue<TimelineEntry> _entries = new();
    private readonly Stopwatch _clock = Stopwatch.StartNew();

    public DateTimeOffset StartedAt { get; } = DateTimeOffset.UtcNow;
    public TimeSpan Elapsed => _clock.Elapsed;
    public IReadOnlyList<TimelineEntry> Entries => [.. _entries];

    public TimelineEntry Add(string direction, string channel, string msgType, string msgId, string? parentId, string summary)
    {
        var e = new TimelineEntry(_clock.Elapsed, direction, channel, msgType, msgId, parentId, summary);
        _entries.Enqueue(e);
        return e;
    }
}
