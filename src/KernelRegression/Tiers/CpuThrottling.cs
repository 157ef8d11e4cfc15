using System.Globalization;

namespace KernelRegression.Tiers;

/// <summary>
/// The CPU cgroup's counters of a container with a CPU limit (cpu.stat): scheduling periods in which it
/// had work, in how many of them its quota ran out, and for how long it was held back in all. Counted
/// from the container's start: a step's own share is not told apart.
/// </summary>
public sealed record CpuThrottling(long Periods, long Throttled, TimeSpan ThrottledTime)
{
    /// <summary>cgroup v1 (throttled_time, ns) or v2 (throttled_usec); null without the counters.</summary>
    public static CpuThrottling? Parse(string stat)
    {
        var values = stat.Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(l => l.Trim().Split(' ', 2))
            .Where(kv => kv.Length == 2 && long.TryParse(kv[1], NumberStyles.None, CultureInfo.InvariantCulture, out _))
            .GroupBy(kv => kv[0]).ToDictionary(g => g.Key, g => long.Parse(g.First()[1], CultureInfo.InvariantCulture));
        if (!values.TryGetValue("nr_periods", out var periods) || !values.TryGetValue("nr_throttled", out var throttled))
        {
            return null;
        }
        var time = values.TryGetValue("throttled_usec", out var us) ? TimeSpan.FromMicroseconds(us)
            : values.TryGetValue("throttled_time", out var ns) ? TimeSpan.FromTicks(ns / 100)
            : TimeSpan.Zero;
        return new CpuThrottling(periods, throttled, time);
    }

    public override string ToString() =>
        $"throttled in {Throttled.ToString(CultureInfo.InvariantCulture)} of {Periods.ToString(CultureInfo.InvariantCulture)} scheduling periods, " +
        $"{ThrottledTime.TotalSeconds.ToString("0.0", CultureInfo.InvariantCulture)} s in all";
}
