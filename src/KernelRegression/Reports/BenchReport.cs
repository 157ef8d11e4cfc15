using System.Text.Json;
using KernelRegression.Bench;

namespace KernelRegression.Reports;

/// <summary>Writes a bench run as JSON (artifacts/bench/bench-RUN-ID.json).</summary>
public static class BenchReport
{
    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true };

    public static string Write(string folder, BenchResult r)
    {
        Directory.CreateDirectory(folder);
        var path = Path.Combine(folder, $"bench-{r.RunId}.json");
        static object Stats(StepSamples? l) => l is null ? new { } : new { n = l.Count, p50 = l.P50, p95 = l.P95, p99 = l.P99, max = l.Max };
        File.WriteAllText(path, JsonSerializer.Serialize(new
        {
            run = r.RunId, tier = r.Tier, machine = r.Machine, hubVersion = r.HubVersion, hubUpMs = r.HubUp?.TotalMilliseconds,
            steps = r.Floor?.Steps.Select(s => new { step = s.Step, harness = Stats(s.Harness), raw = Stats(s.Raw), ratioP50 = double.IsNaN(s.Ratio) ? (double?)null : s.Ratio }),
            detect = r.Floor?.DetectHarness is null ? null : new { harness = Stats(r.Floor.DetectHarness), raw = Stats(r.Floor.DetectRaw), sources = r.Floor.DetectSources },
            load = r.Load is null ? null : new
            {
                users = r.Load.Users, executionsPerUser = r.Load.ExecutionsPerUser, succeeded = r.Load.Succeeded, errors = r.Load.Errors,
                wallSeconds = r.Load.Wall.TotalSeconds, steps = r.Load.Steps.Select(s => new { step = s.Step, stats = Stats(s) }),
            },
        }, Indented));
        return path;
    }
}
