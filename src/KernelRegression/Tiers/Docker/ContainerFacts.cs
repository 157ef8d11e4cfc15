using System.Text.Json.Nodes;
using CliWrap;
using CliWrap.Buffered;
using KernelRegression.Evidence;
using KernelRegression.Logs;

namespace KernelRegression.Tiers.Docker;

/// <summary>
/// What a user's container looks like from inside and out: docker inspect (launch, limits, exit code,
/// OOMKilled), its process table, the Jupyter versions recorded in the image, whether HOME is writable.
/// </summary>
public static class ContainerFacts
{
    // Reads /proc without ps (not in the images): "pid ppid uid cmdline" per process. Section markers
    // are printed with octal escapes, and rows with printf %s (dash's echo would expand them), so this
    // script's own command line (in the table) holds no marker.
    private const string Probe = """
        for d in /proc/[0-9]*; do
          p=${d#/proc/}; s=$(cat $d/stat 2>/dev/null) || continue
          pp=$(echo "${s##*) }" | cut -d' ' -f2); u=$(awk '/^Uid:/{print $2}' $d/status 2>/dev/null)
          c=$(tr '\0\n' '  ' < $d/cmdline 2>/dev/null); printf '%s %s %s %s\n' "$p" "$pp" "$u" "${c:-[${s#*(}}"
        done
        printf '\055\055\055versions\n'; cat /usr/local/share/kr/versions.json 2>/dev/null
        printf '\055\055\055home\n'; if [ -w "$HOME" ]; then echo true; else echo false; fi
        printf '\055\055\055oom\n'; cat /sys/fs/cgroup/memory/memory.oom_control 2>/dev/null || cat /sys/fs/cgroup/memory.events 2>/dev/null
        """;

    public static async Task<IReadOnlyDictionary<string, string>> CollectAsync(string container, CancellationToken ct)
    {
        var facts = new Dictionary<string, string>();
        var evidence = new Dictionary<string, string>();
        var inspect = await Cli.Wrap("docker").WithArguments(["inspect", container]).WithValidation(CommandResultValidation.None).ExecuteBufferedAsync(ct);
        if (inspect.ExitCode != 0)
        {
            facts["container.exists"] = "false";
            return new Dictionary<string, string> { ["facts"] = Facts.Render(facts) };
        }
        var c = (JsonNode.Parse(inspect.StandardOutput) as JsonArray)?[0];
        facts["container.exists"] = "true";
        facts["container.status"] = c?["State"]?["Status"]?.ToString() ?? "";
        facts["container.exit_code"] = c?["State"]?["ExitCode"]?.ToString() ?? "";
        facts["container.oom_killed"] = c?["State"]?["OOMKilled"]?.ToString().ToLowerInvariant() ?? "";
        facts["container.image"] = c?["Config"]?["Image"]?.ToString() ?? "";
        facts["container.entrypoint"] = c?["Config"]?["Entrypoint"]?.ToJsonString() ?? "null";
        facts["container.cmd"] = c?["Config"]?["Cmd"]?.ToJsonString() ?? "null";
        facts["container.user"] = c?["Config"]?["User"]?.ToString() ?? "";
        facts["container.init"] = c?["HostConfig"]?["Init"]?.ToString().ToLowerInvariant() ?? "false";
        facts["container.memory"] = c?["HostConfig"]?["Memory"]?.ToString() ?? "";
        var env = (c?["Config"]?["Env"] as JsonArray)?.Select(e => e?.ToString() ?? "").ToList() ?? [];
        Facts.AddEnvironment(env, facts);
        evidence["environment"] = string.Join('\n', facts.Where(f => f.Key.StartsWith("env.", StringComparison.Ordinal)).Select(f => $"{f.Key[4..]}={f.Value}"));

        if (facts["container.status"] == "running")
        {
            var probe = await Cli.Wrap("docker").WithArguments(["exec", container, "sh", "-c", Probe])
                .WithValidation(CommandResultValidation.None).ExecuteBufferedAsync(ct);
            var sections = probe.StandardOutput.Split("---");
            var rows = ProcessTable.Parse(sections[0]);
            ProcessTable.AddFacts(rows, facts);
            evidence["process-tree"] = ProcessTable.Render(rows);
            if (sections.FirstOrDefault(s => s.StartsWith("versions", StringComparison.Ordinal)) is { } v
                && JsonNode.Parse(v["versions".Length..].Trim() is { Length: > 0 } json ? json : "{}") is JsonObject versions)
            {
                foreach (var (k, val) in versions)
                {
                    facts["versions." + k] = val?.ToString() ?? "";
                }
            }
            // The kernel is the container's biggest process, so the cgroup's OOM killer takes it, not PID 1:
            // docker's OOMKilled stays false and only the cgroup's counter tells.
            if (sections.FirstOrDefault(s => s.StartsWith("oom", StringComparison.Ordinal)) is { } oom
                && oom.Split('\n').FirstOrDefault(l => l.StartsWith("oom_kill ", StringComparison.Ordinal)) is { } kills)
            {
                facts["container.oom_kills"] = kills["oom_kill ".Length..].Trim();
            }
            if (sections.FirstOrDefault(s => s.StartsWith("home", StringComparison.Ordinal)) is { } h)
            {
                facts["user.home.writable"] = h["home".Length..].Trim();
            }
        }
        evidence["facts"] = Facts.Render(facts);
        return evidence;
    }
}
