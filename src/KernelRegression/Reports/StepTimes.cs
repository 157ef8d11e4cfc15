using KernelRegression.Judging;

namespace KernelRegression.Reports;

/// <summary>One step's time across a run's cells: the median cell and the slowest one.</summary>
public sealed record StepTime(string Step, double MedianMs, double MaxMs, int Cells);

/// <summary>Per-step times over a run (each cell counts once per step: its own median, as a check can repeat a step).</summary>
public static class StepTimes
{
    public static IReadOnlyList<StepTime> Of(IEnumerable<CellReport> cells)
    {
        var perCell = cells.SelectMany(c => c.Result.Evidence.Steps.GroupBy(t => t.Step)
            .Select(g => (Step: g.Key, Ms: Median(g.Select(t => t.Duration.TotalMilliseconds))))).ToList();
        return perCell.GroupBy(s => s.Step)
            .Select(g => new StepTime(g.Key, Median(g.Select(s => s.Ms)), g.Max(s => s.Ms), g.Count()))
            .ToList();
    }

    public static double Median(IEnumerable<double> values)
    {
        var v = values.Order().ToArray();
        return v.Length == 0 ? 0 : v[v.Length / 2];
    }

    public static string Format(double ms) => ms >= 1000 ? $"{ms / 1000:0.0} s" : $"{ms:0} ms";
}
