using System.Globalization;

namespace KernelRegression.Tiers;

/// <summary>
/// A user's container (or pod container) from the outside: how it was launched, whether it runs, how it
/// ended. OomKills counts the memory cgroup's kills: the kernel is usually the victim, not PID 1, so
/// Docker's OOMKilled stays false while the counter tells.
/// </summary>
public sealed record ContainerState
{
    public bool Exists { get; init; }
    public string Status { get; init; } = "";
    public int? ExitCode { get; init; }
    public bool OomKilled { get; init; }
    public int? OomKills { get; init; }
    public string Image { get; init; } = "";
    /// <summary>The entrypoint and cmd as JSON arrays ("null" when the image's own).</summary>
    public string Entrypoint { get; init; } = "null";
    public string Cmd { get; init; } = "null";
    public string User { get; init; } = "";
    public bool Init { get; init; }
    public long? MemoryBytes { get; init; }
    /// <summary>The CPU cgroup's throttling since the container started (read while it runs, where a CPU limit is set).</summary>
    public CpuThrottling? Cpu { get; init; }
    /// <summary>Kubernetes: restarts of the container in its pod, and the last termination's reason.</summary>
    public int? RestartCount { get; init; }
    public string? LastTerminationReason { get; init; }

    public static ContainerState Missing { get; } = new() { Exists = false };

    public bool Running => Status == "running";

    public IEnumerable<(string Key, string Value)> Facts()
    {
        yield return ("container.exists", Exists ? "true" : "false");
        if (!Exists)
        {
            yield break;
        }
        yield return ("container.status", Status);
        yield return ("container.exit_code", ExitCode?.ToString(CultureInfo.InvariantCulture) ?? "");
        yield return ("container.oom_killed", OomKilled ? "true" : "false");
        if (OomKills is { } kills)
        {
            yield return ("container.oom_kills", kills.ToString(CultureInfo.InvariantCulture));
        }
        yield return ("container.image", Image);
        yield return ("container.entrypoint", Entrypoint);
        yield return ("container.cmd", Cmd);
        yield return ("container.user", User);
        yield return ("container.init", Init ? "true" : "false");
        yield return ("container.memory", MemoryBytes?.ToString(CultureInfo.InvariantCulture) ?? "");
        if (RestartCount is { } restarts)
        {
            yield return ("container.restart_count", restarts.ToString(CultureInfo.InvariantCulture));
        }
        if (LastTerminationReason is { } reason)
        {
            yield return ("container.last_termination", reason);
        }
    }
}
