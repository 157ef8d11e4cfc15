using System.Collections.Concurrent;
using System.Diagnostics;

namespace KernelRegression.Students;

/// <summary>One named step of a cell and how long it took (spawn, kernel-ready, execute, …).</summary>
public sealed record StepTiming(string Step, TimeSpan Duration);

/// <summary>Named step durations of one check (spawn, kernel ready, each execute), for reports and benchmarks.</summary>
public sealed class StepTimings
{
    private readonly ConcurrentQueue<StepTiming> _steps = new();

    public IReadOnlyList<StepTiming> Steps => [.. _steps];

    public void Record(string step, TimeSpan duration) => _steps.Enqueue(new StepTiming(step, duration));

    public TimeSpan? this[string step] =>
        _steps.Where(s => s.Step == step).Select(s => (TimeSpan?)s.Duration).LastOrDefault();

    /// <summary>Times an async step and records it even when it throws (the time to failure is evidence too).</summary>
    public async Task<T> TimeAsync<T>(string step, Func<Task<T>> body)
    {
        var sw = Stopwatch.StartNew();
        try
        {
            return await body();
        }
        finally
        {
            Record(step, sw.Elapsed);
        }
    }

    public async Task TimeAsync(string step, Func<Task> body) =>
        await TimeAsync<bool>(step, async () => { await body(); return true; });

    public override string ToString() =>
        string.Join(", ", Steps.Select(s => $"{s.Step} {s.Duration.TotalMilliseconds:0} ms"));
}
