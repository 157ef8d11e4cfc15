using System.Globalization;

namespace KernelRegression.Tests.Support;

/// <summary>
/// Test cells written the way a reader checks them: the facts as facts.txt shows them (key=value) and
/// the server's log, turned into the typed evidence the engine works on. Ids name the axes
/// (tier/hub-H/img-I/profile-P[/scenario-S]). Only tests write evidence as text; the engine never
/// parses it back. Shared by the unit tests and the suite's report test (linked source).
/// </summary>
internal static class SyntheticCell
{
    public static MatrixCell Cell(string id, Expectation? expected = null)
    {
        var parts = id.Split('/');
        string Axis(string prefix, string fallback) => parts.FirstOrDefault(p => p.StartsWith(prefix, StringComparison.Ordinal))?[prefix.Length..] ?? fallback;
        var hub = Axis("hub-", "host");
        var image = Axis("img-", "host");
        return new MatrixCell(TierName.Of(parts[0]), new HubSpec(hub, hub), new ImageSpec(image, image, "default", "none", "none", null), Axis("profile-", "default"),
            Axis("scenario-", "healthy"), expected ?? Expectation.Pass);
    }

    public static CellResult Result(string id, IReadOnlyList<CheckOutcome> checks, IReadOnlyList<(string Step, TimeSpan Duration)> steps,
        string facts, string log, Expectation? expected = null, string hubLog = "") =>
        new(Cell(id, expected), checks, Evidence(facts, log, steps, hubLog));

    public static CellEvidence Evidence(string facts, string log, IReadOnlyList<(string Step, TimeSpan Duration)>? steps = null, string hubLog = "")
    {
        var f = Parse(facts);
        string? Get(string key) => f.GetValueOrDefault(key);
        int? Int(string key) => int.TryParse(Get(key), CultureInfo.InvariantCulture, out var i) ? i : null;
        var uid = Int("user.uid") ?? 1000;
        var rows = new List<ProcessRow>();
        if (Get("proc.pid1") is { } pid1)
        {
            rows.Add(new ProcessRow(1, 0, uid, pid1));
        }
        if (Int("proc.server.pid") is { } server and not 1)
        {
            rows.Add(new ProcessRow(server, Int("proc.server.ppid") ?? 1, uid, "/usr/bin/python3 /usr/bin/jupyterhub-singleuser --ip=0.0.0.0"));
        }
        if (Int("proc.kernel.pid") is { } kernel)
        {
            rows.Add(new ProcessRow(kernel, Int("proc.kernel.ppid") ?? 1, uid, "/usr/bin/python3 -m ipykernel_launcher -f /home/jovyan/.local/share/jupyter/runtime/kernel-0.json"));
        }
        var container = f.Keys.Any(k => k.StartsWith("container.", StringComparison.Ordinal))
            ? new ContainerState
            {
                Exists = Get("container.exists") != "false",
                Status = Get("container.status") ?? (Get("container.exit_code") is { Length: > 0 } ? "exited" : "running"),
                ExitCode = Int("container.exit_code"),
                OomKilled = Get("container.oom_killed") == "true",
                OomKills = Int("container.oom_kills"),
                Image = Get("image") ?? "",
            }
            : null;
        var typed = new[] { "tier", "hub.version", "image", "kernel.last_status", "kernel.protocol", "user.home", "user.home.writable", "user.uid" };
        return new CellEvidence
        {
            Tier = Get("tier") ?? "docker",
            HubVersion = Get("hub.version") ?? "",
            Image = Get("image"),
            Launch = f.Keys.Any(k => k.StartsWith("profile.", StringComparison.Ordinal)) ? Launch(f) : null,
            KernelLastStatus = Get("kernel.last_status") ?? "idle",
            KernelProtocol = Get("kernel.protocol") ?? "legacy",
            Server = new TierEvidence
            {
                Processes = rows.Count > 0 ? new ProcessTree(rows) : null,
                Container = container,
                Versions = Prefixed(f, "versions."),
                Environment = Prefixed(f, "env."),
                User = Get("user.home") is { } home ? new UserState(home, Get("user.home.writable") is { } w ? w == "true" : null) : null,
                Extra = f.Where(kv => !typed.Contains(kv.Key) && !kv.Key.StartsWith("profile.", StringComparison.Ordinal)
                        && !kv.Key.StartsWith("proc.", StringComparison.Ordinal) && !kv.Key.StartsWith("container.", StringComparison.Ordinal)
                        && !kv.Key.StartsWith("versions.", StringComparison.Ordinal) && !kv.Key.StartsWith("env.", StringComparison.Ordinal))
                    .ToDictionary(kv => kv.Key, kv => kv.Value),
            },
            Steps = [.. (steps ?? []).Select(s => new StepTiming(s.Step, s.Duration))],
            ServerLog = Lines(log),
            HubLog = Lines(hubLog),
            Timeline =
            [
                new TimelineEntry(TimeSpan.FromMilliseconds(1003.8), "!", "ws", "open", "", null, "protocol legacy"),
                new TimelineEntry(TimeSpan.FromMilliseconds(1017.5), "→", "shell", "kernel_info_request", "m1", null, ""),
            ],
        };
    }

    private static LaunchProfile Launch(IReadOnlyDictionary<string, string> f)
    {
        List<string>? List(string key) => f.GetValueOrDefault(key) is { } v && v != "null" ? System.Text.Json.JsonSerializer.Deserialize<List<string>>(v) : null;
        int? Int(string key) => int.TryParse(f.GetValueOrDefault(key), CultureInfo.InvariantCulture, out var i) ? i : null;
        return new LaunchProfile
        {
            Name = f.GetValueOrDefault("profile.name") ?? "default",
            Command = List("profile.command"),
            Args = List("profile.args"),
            Init = f.GetValueOrDefault("profile.init") == "true",
            Uid = Int("profile.uid"),
            Gid = Int("profile.gid"),
            MemLimit = f.GetValueOrDefault("profile.mem_limit"),
        };
    }

    private static Dictionary<string, string> Parse(string facts) =>
        facts.Split('\n').Select(l => l.Trim()).Where(l => l.Length > 0 && l.Contains('=', StringComparison.Ordinal))
            .Select(l => l.Split('=', 2)).GroupBy(p => p[0]).ToDictionary(g => g.Key, g => g.Last()[1]);

    private static Dictionary<string, string> Prefixed(Dictionary<string, string> f, string prefix) =>
        f.Where(kv => kv.Key.StartsWith(prefix, StringComparison.Ordinal)).ToDictionary(kv => kv.Key[prefix.Length..], kv => kv.Value);

    private static List<string> Lines(string text) => [.. text.Split('\n').Where(l => l.Length > 0)];
}
