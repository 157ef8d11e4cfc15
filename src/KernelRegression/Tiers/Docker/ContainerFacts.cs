using System.Text.Json;
using KernelRegression.Docker;

namespace KernelRegression.Tiers.Docker;

/// <summary>
/// What a user's container looks like from inside and out: the engine's inspect (launch, limits, exit code,
/// OOMKilled), its process table, the Jupyter versions recorded in the image, whether its home takes a
/// write, and the memory cgroup's OOM kill counter.
/// </summary>
public static class ContainerFacts
{
    public static async Task<TierEvidence> CollectAsync(string container, CancellationToken ct)
    {
        if (await DockerEngine.InspectAsync(container, ct) is not { } c)
        {
            return new TierEvidence { Container = ContainerState.Missing };
        }
        var state = new ContainerState
        {
            Exists = true,
            Status = c.State?.Status ?? "",
            ExitCode = c.State is { } s ? (int)s.ExitCode : null,
            OomKilled = c.State?.OOMKilled == true,
            Image = c.Config?.Image ?? "",
            Entrypoint = JsonSerializer.Serialize(c.Config?.Entrypoint),
            Cmd = JsonSerializer.Serialize(c.Config?.Cmd),
            User = c.Config?.User ?? "",
            Init = c.HostConfig?.Init == true,
            MemoryBytes = c.HostConfig?.Memory,
        };
        var environment = TierEvidence.MaskedEnvironment(c.Config?.Env ?? []);
        var home = environment.GetValueOrDefault("HOME");
        if (!state.Running)
        {
            return new TierEvidence { Container = state, Environment = environment, User = new UserState(home, null) };
        }
        string inside;
        try
        {
            inside = (await DockerEngine.ExecAsync(container, ServerProbe.Command, ct)).Stdout;
        }
        catch (HarnessFaultException)
        {
            inside = ""; // it stopped (or was paused) since the inspect: nothing inside to read, as before with `docker exec`
        }
        var probe = ServerProbe.Parse(inside);
        return new TierEvidence
        {
            Processes = new ProcessTree(probe.Processes),
            // The kernel is the container's biggest process, so the cgroup's OOM killer takes it, not PID 1:
            // docker's OOMKilled stays false and only the cgroup's counter tells.
            Container = state with { OomKills = probe.OomKills, Cpu = probe.Cpu },
            Versions = probe.Versions,
            Environment = environment,
            User = new UserState(home, probe.HomeWritable) { SitePackages = UserState.RelativeToHome(probe.UserSitePackages, home) },
        };
    }
}
