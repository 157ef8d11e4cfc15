namespace KernelRegression.Bench;

/// <summary>A series of durations of one step, with its percentiles (nearest-rank) in milliseconds.</summary>
public sealed record StepSamples(string Step, IReadOnlyList<double> Ms)
{
    public static StepSamples Of(string step, IEnumerable<TimeSpan> samples) => new(step, samples.Select(s => s.TotalMilliseconds).ToList());

    public int Count => Ms.Count;
    public double P50 => Percentile(50);
    public double P95 => Percentile(95);
    public double P99 => Percentile(99);
    public double Max => Ms.Count == 0 ? double.NaN : Ms.Max();

    public double Percentile(double p)
    {
        if (Ms.Count == 0)
        {
            return double.NaN;
        }
        var sorted = Ms.Order().ToArray();
        var rank = (int)Math.Ceiling(p / 100.0 * sorted.Length);
        return sorted[Math.Clamp(rank - 1, 0, sorted.Length - 1)];
    }
}

/// <summary>One step measured both ways in the same run: the harness beside the raw floor.</summary>
public sealed record StepComparison(string Step, StepSamples Harness, StepSamples? Raw)
{
    /// <summary>harness p50 / raw p50 (NaN when there is no raw floor for the step).</summary>
    public double Ratio => Raw is null || Raw.Count == 0 ? double.NaN : Harness.P50 / Raw.P50;
}
