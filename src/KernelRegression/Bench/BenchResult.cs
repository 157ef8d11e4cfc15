namespace KernelRegression.Bench;

/// <summary>Everything one bench run measured, and where it ran.</summary>
public sealed record BenchResult(string RunId, string Tier, string Machine, string HubVersion, TimeSpan? HubUp,
    FloorBenchResult? Floor, LoadResult? Load);

/// <summary>The machine a bench ran on, as its report records it: "Debian 12.8, 2 cores, 23 GiB".</summary>
public static class BenchMachine
{
    public static string Describe() =>
        $"{(File.Exists("/etc/debian_version") ? "Debian " + File.ReadAllText("/etc/debian_version").Trim() : Environment.OSVersion.ToString())}, " +
        $"{Environment.ProcessorCount} cores, {GC.GetGCMemoryInfo().TotalAvailableMemoryBytes / (1L << 30)} GiB";
}
