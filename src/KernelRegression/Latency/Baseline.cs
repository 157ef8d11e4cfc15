using KernelRegression.Matrix;

namespace KernelRegression.Latency;

/// <summary>
/// Compares a cell's steps in this run with its recent history: a step is slower than usual when it took
/// at least <see cref="BaselineDoc.Factor"/> times the median of the cell's last <see cref="BaselineDoc.Runs"/>
/// usual runs (runs that met the cell's expectation), and at least <see cref="BaselineDoc.MinSlowerSeconds"/>
/// longer. Budgets catch the absolute; this catches the drift (a spawn that went from 3 s to 12 s is
/// within a 30 s budget, and news). A step that can take two paths (a restart whose open channels stayed
/// silent, so the harness waited 10 s and reconnected) is compared only with runs that took the same one.
/// </summary>
public static class Baseline
{
    public static IReadOnlyList<SlowerThanUsual> Compare(string cellId, IReadOnlyList<StepMeasure> now, IReadOnlyList<HistoryEntry> history, BaselineDoc rule)
    {
        var recent = Recent(cellId, history, rule);
        var flags = new List<SlowerThanUsual>();
        foreach (var m in now)
        {
            // Like with like: a restart that had to reconnect is compared with earlier ones that did.
            var earlier = recent.Where(e => e.ModeOf(m.Step) == m.Mode).Select(e => e[m.Step]).OfType<TimeSpan>().ToList();
            if (earlier.Count < rule.MinRuns)
            {
                continue;
            }
            var median = Median(earlier);
            if (m.Value >= median * rule.Factor && m.Value - median >= TimeSpan.FromSeconds(rule.MinSlowerSeconds))
            {
                flags.Add(new SlowerThanUsual(cellId, m.Step, m.Value, median, earlier.Count));
            }
        }
        return flags;
    }

    /// <summary>The cell's last usual runs, oldest first.</summary>
    public static IReadOnlyList<HistoryEntry> Recent(string cellId, IReadOnlyList<HistoryEntry> history, BaselineDoc rule) =>
        [.. history.Where(e => e.Cell == cellId && e.Usual).TakeLast(rule.Runs)];

    public static TimeSpan Median(IReadOnlyList<TimeSpan> values)
    {
        var sorted = values.Order().ToArray();
        var mid = sorted.Length / 2;
        return sorted.Length % 2 == 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
    }
}
