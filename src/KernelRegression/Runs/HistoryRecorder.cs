using KernelRegression.Judging;
using KernelRegression.Latency;
using KernelRegression.Matrix;

namespace KernelRegression.Runs;

/// <summary>
/// A `kr run`'s side of the history: after each iteration of the cells, compares every cell's steps with
/// its recent runs (flags "slower than usual", said on the console and in the reports), gives each cell
/// its recent runs for the report's chart, then appends the iteration to the history. With
/// --strict-latency a flag fails the run.
/// </summary>
public sealed class HistoryRecorder(StepHistory history, BaselineDoc rule, string runId)
{
    private readonly List<SlowerThanUsual> _flags = [];

    public StepHistory History { get; } = history;
    public IReadOnlyList<SlowerThanUsual> Flags => [.. _flags];

    public IReadOnlyList<CellReport> Observe(IReadOnlyList<CellReport> reports, int iteration, Action<string>? say = null)
    {
        var before = History.Read();
        var at = DateTimeOffset.UtcNow;
        var run = iteration > 1 ? $"{runId}.{iteration}" : runId;
        var observed = new List<CellReport>();
        var entries = new List<HistoryEntry>();
        foreach (var report in reports)
        {
            if (report.Result.Latency is not { } latency)
            {
                observed.Add(report);
                continue;
            }
            var id = report.Result.CellId;
            // Only completed steps are latencies: a kernel that died at start has a time to failure, not a start time.
            var measures = latency.Steps.Where(s => s.Completed).Select(s => new StepMeasure(s.Step, s.Measured, s.Samples, s.Mode)).ToList();
            IReadOnlyList<SlowerThanUsual> flags = !report.Outcome.IsVerdict() ? []
                : [.. Baseline.Compare(id, measures, before, rule).Select(f => f with { Why = latency[f.Step]?.Why })];
            foreach (var f in flags)
            {
                say?.Invoke($"{id}: {f}");
            }
            _flags.AddRange(flags);
            observed.Add(report with { Result = report.Result with { Latency = latency with { SlowerThanUsual = flags, Recent = Baseline.Recent(id, before, rule) } } });
            if (measures.Count > 0)
            {
                var modes = measures.Where(m => m.Mode is not null).ToDictionary(m => m.Step.Name, m => m.Mode!);
                entries.Add(new HistoryEntry(run, at, id, report.Outcome.Name(), measures.ToDictionary(m => m.Step.Name, m => Math.Round(m.Value.TotalMilliseconds, 1)))
                {
                    Modes = modes.Count > 0 ? modes : null,
                });
            }
        }
        History.Append(entries);
        return observed;
    }
}
