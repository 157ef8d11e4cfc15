using System.Globalization;
using System.Text.Json.Nodes;

namespace KernelRegression.Tiers;

/// <summary>What the probe saw inside the container: the process table and what the image and cgroup say.</summary>
public sealed record ProbeResult(IReadOnlyList<ProcessRow> Processes, string Source, IReadOnlyDictionary<string, string> Versions, int? OomKills, bool? HomeWritable)
{
    /// <summary>What the user installed into their own site-packages (absolute paths).</summary>
    public IReadOnlyList<string> UserSitePackages { get; init; } = [];

    /// <summary>The CPU cgroup's throttling counters (cpu.stat), where a CPU limit is set.</summary>
    public CpuThrottling? Cpu { get; init; }
}

/// <summary>
/// The script run inside a user's container or pod (docker exec, kubectl exec) for what only the inside
/// shows: the process table (<c>ps</c> where the image has it, else a /proc reader: the suite's images
/// have no ps), the Jupyter versions the image recorded, whether the home takes a write (a file is
/// written and removed), what the user installed into ~/.local's site-packages, the memory cgroup's OOM
/// kill counter and the CPU cgroup's throttling counters.
/// One script, so the docker and kind tiers report the same facts. Its own text names no server or
/// kernel, so its row is never taken for one.
/// </summary>
public static class ServerProbe
{
    public const string Script = """
        printf '\055\055\055table '
        if command -v ps >/dev/null 2>&1; then
          echo ps; ps -e -o pid=,ppid=,uid=,args=
        else
          echo proc
          for d in /proc/[0-9]*; do
            p=${d#/proc/}; s=$(cat $d/stat 2>/dev/null) || continue
            pp=$(echo "${s##*) }" | cut -d' ' -f2); u=$(awk '/^Uid:/{print $2}' $d/status 2>/dev/null)
            c=$(tr '\0\n' '  ' < $d/cmdline 2>/dev/null); printf '%s %s %s %s\n' "$p" "$pp" "$u" "${c:-[${s#*(}}"
          done
        fi
        printf '\055\055\055versions\n'; cat /usr/local/share/kr/versions.json 2>/dev/null
        printf '\055\055\055home\n'; f="$HOME/.kr-write-probe-$$"; if : > "$f" 2>/dev/null; then rm -f "$f"; echo true; else echo false; fi
        printf '\055\055\055oom\n'; cat /sys/fs/cgroup/memory.events 2>/dev/null || cat /sys/fs/cgroup/memory/memory.oom_control 2>/dev/null
        printf '\055\055\055usersite\n'; ls -d "$HOME"/.local/lib/python3*/site-packages/* 2>/dev/null
        printf '\055\055\055cpu\n'; cat /sys/fs/cgroup/cpu.stat 2>/dev/null || cat /sys/fs/cgroup/cpu/cpu.stat 2>/dev/null || cat /sys/fs/cgroup/cpu,cpuacct/cpu.stat 2>/dev/null
        """;

    public static IReadOnlyList<string> Command => ["sh", "-c", Script];

    /// <summary>Reads the probe's output (sections started by "---NAME").</summary>
    public static ProbeResult Parse(string output)
    {
        // A section starts at a line "---NAME"; command lines in the table may hold "---" elsewhere.
        var sections = new List<(string Name, string Body)>();
        foreach (var line in output.Split('\n'))
        {
            if (line.StartsWith("---", StringComparison.Ordinal))
            {
                sections.Add((line[3..].Trim(), ""));
            }
            else if (sections.Count > 0)
            {
                sections[^1] = (sections[^1].Name, sections[^1].Body + line + "\n");
            }
        }
        string? Section(string name) => sections.FirstOrDefault(s => s.Name.StartsWith(name, StringComparison.Ordinal)).Body;
        var header = sections.FirstOrDefault(s => s.Name.StartsWith("table", StringComparison.Ordinal)).Name ?? "table ?";
        var rows = ParseTable(Section("table") ?? "");
        var versions = new Dictionary<string, string>();
        if (Section("versions") is { } v && v.Trim() is { Length: > 0 } json && JsonNode.Parse(json) is JsonObject o)
        {
            foreach (var (k, val) in o)
            {
                versions[k] = val?.ToString() ?? "";
            }
        }
        int? kills = Section("oom")?.Split('\n').FirstOrDefault(l => l.StartsWith("oom_kill ", StringComparison.Ordinal)) is { } oom
            && int.TryParse(oom["oom_kill ".Length..].Trim(), CultureInfo.InvariantCulture, out var n) ? n : null;
        bool? home = Section("home")?.Trim() switch { "true" => true, "false" => false, _ => null };
        return new ProbeResult(rows, header["table".Length..].Trim(), versions, kills, home)
        {
            Cpu = CpuThrottling.Parse(Section("cpu") ?? ""),
            UserSitePackages = (Section("usersite") ?? "").Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries),
        };
    }

    /// <summary>Rows "pid ppid uid args…", with ps' right-aligned columns (leading spaces) as well.</summary>
    public static IReadOnlyList<ProcessRow> ParseTable(string text)
    {
        var rows = new List<ProcessRow>();
        foreach (var line in text.Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            var parts = line.Trim().Split(' ', 4, StringSplitOptions.RemoveEmptyEntries);
            if (parts.Length >= 3 && int.TryParse(parts[0], CultureInfo.InvariantCulture, out var pid)
                && int.TryParse(parts[1], CultureInfo.InvariantCulture, out var ppid) && int.TryParse(parts[2], CultureInfo.InvariantCulture, out var uid))
            {
                rows.Add(new ProcessRow(pid, ppid, uid, parts.Length == 4 ? parts[3].Trim() : ""));
            }
        }
        return rows;
    }
}
