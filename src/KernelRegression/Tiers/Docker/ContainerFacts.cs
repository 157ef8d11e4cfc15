using System.Globalization;
using System.Text.Json.Nodes;
using CliWrap;
using CliWrap.Buffered;
using KernelRegression.Evidence;

namespace KernelRegression.Tiers.Docker;

/// <summary>
/// What a user's container looks like from inside and out: docker inspect (launch, limits, exit code,
/// OOMKilled), its process table, the Jupyter versions recorded in the image, whether its home takes a
/// write, and the memory cgroup's OOM kill counter.
/// </summary>
public static class ContainerFacts
{
    // Reads /proc without ps (not in the images): "pid ppid uid cmdline" per process. Section markers
    // are printed with octal escapes, and rows with printf %s (dash's echo would expand them), so this
    // script's own command line (in the table) holds no marker. The home probe writes and removes a
    // file as the container's user: a home can exist and still refuse writes.
    private const string Probe = """
        for d in /proc/[0-9]*; do
          p=${d#/proc/}; s=$(cat $d/stat 2>/dev/null) || continue
          pp=$(echo "${s##*) }" | cut -d' ' -f2); u=$(awk '/^Uid:/{print $2}' $d/status 2>/dev/null)
          c=$(tr '\0\n' '  ' < $d/cmdline 2>/dev/null); printf '%s %s %s %s\n' "$p" "$pp" "$u" "${c:-[${s#*(}}"
        done
        printf '\055\055\055versions\n'; cat /usr/local/share/kr/versions.json 2>/dev/null
        printf '\055\055\055home\n'; f="$HOME/.kr-write-probe.$$"; if (echo kr > "$f") 2>/dev/null; then rm -f "$f"; echo true; else echo false; fi
        printf '\055\055\055oom\n'; cat /sys/fs/cgroup/memory/memory.oom_control 2>/dev/null || cat /sys/fs/cgroup/memory.events 2>/dev/null
        """;

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
        var probe = await Cli.Wrap("docker").WithArguments(["exec", container, "sh", "-c", Probe])
            .WithValidation(CommandResultValidation.None).ExecuteBufferedAsync(ct);
        var sections = probe.StandardOutput.Split("---");
        var versions = new Dictionary<string, string>();
        if (Section(sections, "versions") is { Length: > 0 } json && JsonNode.Parse(json) is JsonObject v)
        {
            foreach (var (k, val) in v)
            {
                versions[k] = val?.ToString() ?? "";
            }
        }
        // The kernel is the container's biggest process, so the cgroup's OOM killer takes it, not PID 1:
        // docker's OOMKilled stays false and only the cgroup's counter tells.
        if (Section(sections, "oom")?.Split('\n').FirstOrDefault(l => l.StartsWith("oom_kill ", StringComparison.Ordinal)) is { } kills
            && int.TryParse(kills["oom_kill ".Length..].Trim(), CultureInfo.InvariantCulture, out var n))
        {
            state = state with { OomKills = n };
        }
        return new TierEvidence
        {
            Processes = ProcessTree.Parse(sections[0]),
            Container = state,
            Versions = versions,
            Environment = environment,
            User = new UserState(home, Section(sections, "home") is { } w ? w == "true" : null),
        };
    }

    private static string? Section(string[] sections, string name) =>
        sections.FirstOrDefault(s => s.StartsWith(name, StringComparison.Ordinal))?[name.Length..].Trim();
}
