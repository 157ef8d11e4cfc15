using System.Globalization;
using System.Text.Json.Nodes;
using CliWrap;
using CliWrap.Buffered;

namespace KernelRegression.Tiers.Docker;

/// <summary>
/// What a user's container looks like from inside and out: docker inspect (launch, limits, exit code,
/// OOMKilled), its process table, the Jupyter versions recorded in the image, whether its home takes a
/// write, and the memory cgroup's OOM kill counter.
/// </summary>
public static class ContainerFacts
{
    public static async Task<TierEvidence> CollectAsync(string container, CancellationToken ct)
    {
        var inspect = await Cli.Wrap("docker").WithArguments(["inspect", container]).WithValidation(CommandResultValidation.None).ExecuteBufferedAsync(ct);
        if (inspect.ExitCode != 0)
        {
            return new TierEvidence { Container = ContainerState.Missing };
        }
        var c = (JsonNode.Parse(inspect.StandardOutput) as JsonArray)?[0];
        var state = new ContainerState
        {
            Exists = true,
            Status = c?["State"]?["Status"]?.ToString() ?? "",
            ExitCode = int.TryParse(c?["State"]?["ExitCode"]?.ToString(), CultureInfo.InvariantCulture, out var exit) ? exit : null,
            OomKilled = c?["State"]?["OOMKilled"]?.GetValue<bool>() == true,
            Image = c?["Config"]?["Image"]?.ToString() ?? "",
            Entrypoint = c?["Config"]?["Entrypoint"]?.ToJsonString() ?? "null",
            Cmd = c?["Config"]?["Cmd"]?.ToJsonString() ?? "null",
            User = c?["Config"]?["User"]?.ToString() ?? "",
            Init = c?["HostConfig"]?["Init"]?.GetValue<bool?>() == true,
            MemoryBytes = long.TryParse(c?["HostConfig"]?["Memory"]?.ToString(), CultureInfo.InvariantCulture, out var m) ? m : null,
        };
        var environment = TierEvidence.MaskedEnvironment((c?["Config"]?["Env"] as JsonArray)?.Select(e => e?.ToString() ?? "") ?? []);
        var home = environment.GetValueOrDefault("HOME");
        if (!state.Running)
        {
            return new TierEvidence { Container = state, Environment = environment, User = new UserState(home, null) };
        }
        var output = await Cli.Wrap("docker").WithArguments(["exec", container, .. ServerProbe.Command])
            .WithValidation(CommandResultValidation.None).ExecuteBufferedAsync(ct);
        var probe = ServerProbe.Parse(output.StandardOutput);
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
