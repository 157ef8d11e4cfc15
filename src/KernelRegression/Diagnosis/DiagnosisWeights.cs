using KernelRegression.Logs;

namespace KernelRegression.Diagnosis;

/// <summary>How much one kind of difference explains a failure, what kind it is, and why it matters.</summary>
public sealed record Weight(int Points, string Kind, string Why);

/// <summary>
/// The ranking of differences between a failing and a passing cell. Higher points come first.
/// The order follows what has broken kernels in practice: how the server is launched and who is
/// whose parent first (the 2017 incident), then how the process ended, then versions, then the
/// user and environment, and last the log lines only the failing cell printed.
/// </summary>
public static class DiagnosisWeights
{
    // Fact keys, first match wins; a trailing '*' matches the prefix.
    private static readonly (string Key, Weight Weight)[] FactTable =
    [
        // WHY: a kernel whose parent is PID 1 believes its parent died (ipykernel's pre-#233 poller).
        ("proc.kernel.ppid", new(100, "process-tree", "who the kernel's parent is: a kernel parented by PID 1 thinks its parent exited (ipykernel#233)")),
        // WHY: the server as PID 1 is the incident's launch: no init to reap children or forward signals.
        ("proc.server.pid", new(99, "process-tree", "whether the single-user server runs as PID 1 (no init in front of it)")),
        // WHY: what PID 1 is says at a glance whether an init, a shell or the server itself started first.
        ("proc.pid1", new(98, "process-tree", "what runs as PID 1 in the server's namespace")),
        ("proc.server.ppid", new(96, "process-tree", "who started the server (0: it is PID 1)")),
        ("proc.kernel.parent", new(96, "process-tree", "which process the kernel hangs from")),
        // WHY: command replaces the image's ENTRYPOINT and CMD; it decides what becomes PID 1.
        ("profile.command", new(95, "launch-profile", "the launch command replaces the image's entrypoint, so it decides what runs as PID 1")),
        ("profile.args", new(95, "launch-profile", "the launch args replace the image's CMD and keep its entrypoint")),
        ("profile.init", new(94, "launch-profile", "an init as PID 1 reaps children and keeps the server off PID 1")),
        // WHY: the kernel patch is the one thing the matrix varies on purpose inside an image (the image
        // reports it among its versions, kr-versions.py).
        ("versions.kernel_patch", new(94, "image", "the kernel code itself differs (e.g. the pre-#233 parent poller)")),
        // WHY: how it ended; the kernel's own story of its death comes next after how it was launched.
        ("container.oom_killed", new(88, "outcome", "the kernel's container was killed for exceeding its memory limit")),
        ("container.exit_code", new(86, "outcome", "how the container ended (137: SIGKILL, often the OOM killer)")),
        // WHY: a limit is the usual reason a healthy kernel gets killed.
        ("profile.mem_limit", new(84, "launch-profile", "the memory limit the kernel has to live within")),
        ("profile.cpu_limit", new(82, "launch-profile", "the CPU limit the kernel has to live within")),

        // WHY: the image is compared once, as "image" (the container's copy of it says nothing more).
        ("container.image", new(50, "image", "the single-user image differs")),
        ("container.*", new(78, "outcome", "how the container ended")),
        ("profile.read_only_root", new(76, "launch-profile", "a read-only root filesystem breaks writes outside the home")),
        ("profile.uid", new(74, "launch-profile", "the user the server runs as decides what it can write")),
        ("profile.gid", new(74, "launch-profile", "the group the server runs as decides what it can write")),
        ("profile.working_dir", new(72, "launch-profile", "where the server starts")),
        ("profile.env*", new(70, "launch-profile", "an environment variable the profile sets")),
        // WHY: versions change behaviour, but most version bumps are harmless, so they come after launch and death.
        ("versions.*", new(60, "version", "a package version inside the image differs")),
        ("hub.version", new(58, "version", "the hub's version differs")),
        ("image", new(50, "image", "the single-user image differs")),
        ("image.*", new(50, "image", "how the single-user image was built differs")),
        // WHY: user and environment explain permission and path failures, rarely kernel deaths.
        ("user.home.writable", new(48, "user", "whether the user can write their home (kernels need it for runtime files)")),
        ("user.*", new(45, "user", "who the server runs as")),
        ("env.*", new(40, "environment", "an environment variable of the server differs")),
        // WHY: the profile's name is the axis itself; the fields above say what in it matters.
        ("profile.*", new(30, "launch-profile", "the launch profile differs")),
        // WHY: a symptom every failing cell shows (never connected, restarting, dead): it says that the
        // kernel died, not why, so anything that could be the why ranks above it.
        ("kernel.last_status", new(35, "outcome", "the kernel's last status (restarting/dead: it died)")),
        ("proc.*", new(30, "process-tree", "the process tree differs")),
        ("tier", new(20, "fact", "the tier differs")),
        ("*", new(20, "fact", "a collected fact differs")),
    ];

    // Log lines only the failing cell printed weigh below every fact; the table is the cause finder's (LogPatterns).
    private static readonly Weight OtherLogLine = new(10, "log", "a log line only the failing cell printed");

    public static Weight ForFact(string key)
    {
        foreach (var (pattern, weight) in FactTable)
        {
            if (pattern == key || (pattern.EndsWith('*') && key.StartsWith(pattern[..^1], StringComparison.Ordinal)))
            {
                return weight;
            }
        }
        return FactTable[^1].Weight;
    }

    public static Weight ForLogLine(string line) =>
        LogPatterns.All.Where(p => p.Regex.IsMatch(line)).MaxBy(p => p.DiagnosisPoints) is { } p
            ? new Weight(p.DiagnosisPoints, "log", p.Why)
            : OtherLogLine;
}
