using System.Globalization;
using System.Text.RegularExpressions;
using KernelRegression.Checks;
using KernelRegression.Logs;
using KernelRegression.Host;

namespace KernelRegression.Evidence;

/// <summary>A check's failure as the runner caught it, before it is explained.</summary>
public sealed record CheckFailure(Exception Error, bool IsHarness);

/// <summary>
/// Turns what went wrong into one line a tired operator can act on, from the typed evidence: a mechanism
/// only where the evidence shows it (an OOM counter; a silent death at start under a PID-1 server with a
/// control that kept its kernel alive, <see cref="ParentPoller"/>), else what was seen (a SIGKILL no OOM
/// counter saw), else the death's own last words, the server's log, or the deadline's last sight. Runs
/// once per cell, after the evidence (and any control) is in.
/// </summary>
public static partial class Explainer
{
    /// <summary>Sorts a caught exception: a harness error (never a verdict) or the deployment's failure.</summary>
    public static CheckFailure Classify(Exception e) => new(e, Blame.IsHarness(e));

    public static string Cause(CheckFailure failure, CellEvidence evidence)
    {
        var e = failure.Error;
        if (failure.IsHarness)
        {
            return e is ActionableException h ? h.What.Split('\n')[0] : $"{e.GetType().Name}: {e.Message.Split('\n')[0]}";
        }
        if (e is not CheckFailedException && OutOfMemory(e, evidence) is { } oom)
        {
            return oom;
        }
        return Shadowed(e switch
        {
            KernelDiedException d => ParentPoller.Seen(d, evidence) is { } seen ? ParentPoller.Cause(seen, evidence.Control)
                : Sigkilled(d, evidence) ?? d.Cause,
            SpawnFailedException f => f.Cause is { } cause ? cause + (cause.StartsWith(LogPatterns.KilledPrefix, StringComparison.Ordinal) ? "; " + Counters(evidence) : "")
                : $"spawn failed: {f.HubMessage}",
            // An API error or a deadline is the symptom; the server's own log usually holds the reason.
            JupyterApiException a => ServerLogCause(evidence) ?? a.What.Split('\n')[0],
            DeadlineExceededException d => ServerLogCause(evidence) ?? $"timed out waiting for {d.Awaited}; last seen: {d.LastSeen}",
            ActionableException h => h.What.Split('\n')[0],
            _ => e.Message,
        }, evidence);
    }

    /// <summary>
    /// A missing module of a package the user installed into ~/.local themselves: their copy comes first on
    /// Python's path and shadows the image's (a stale `pip install --user`, jupyterhub/jupyterhub#875).
    /// </summary>
    private static string Shadowed(string cause, CellEvidence evidence) =>
        MissingModule().Match(cause) is { Success: true } m
        && evidence.Server.User?.Shadowing(m.Groups["package"].Value, evidence.Server.Versions.GetValueOrDefault("python")) is { } mine
            ? $"{cause} — the user's ~/{mine} shadows the image's {m.Groups["package"].Value} (user site-packages come first)"
            : cause;

    /// <summary>
    /// A kernel killed by the OOM killer leaves no traceback: only the cgroup's counter (or Docker's
    /// OOMKilled) says why. A counter that moved does not explain a kernel seen to end another way (an exit
    /// code, another signal): the OOM killer sends SIGKILL.
    /// </summary>
    private static string? OutOfMemory(Exception e, CellEvidence evidence)
    {
        if (evidence.Server.Container is not { } c || (c.OomKills is not > 0 && !c.OomKilled))
        {
            return null;
        }
        if (e is KernelDiedException died && Dead(died, evidence).Any(p => p.End is { Sigkilled: false }))
        {
            return null;
        }
        var limit = evidence.Launch?.MemLimit ?? "?";
        // Docker sets OOMKilled for any OOM kill in the container; while it still runs, the victim was the kernel.
        return c.Running
            ? $"out of memory: the container's memory cgroup OOM-killed the kernel ({Math.Max(c.OomKills ?? 0, 1)} kill(s), limit {limit}); it died without a traceback"
            : $"out of memory: the container was OOM-killed (exit {c.ExitCode?.ToString(CultureInfo.InvariantCulture) ?? "?"}, limit {limit})";
    }

    /// <summary>A kernel seen killed by SIGKILL (or a wrapper's "Killed") with no OOM counter moved: said as what it is, not as an OOM kill.</summary>
    private static string? Sigkilled(KernelDiedException died, CellEvidence evidence)
    {
        var killed = Dead(died, evidence).FirstOrDefault(p => p.End is { Sigkilled: true });
        var said = CauseFinder.FindCause([died.Cause]) is { Pattern.Name: "killed, 137" };
        if (killed is null && !said)
        {
            return null;
        }
        // Only the watch knows it was the kernel's process: a "Killed" line may be about the server (its shell says so too).
        return killed is null
            ? $"{died.Cause}; {Counters(evidence)}"
            : $"kernel killed by SIGKILL (its process {killed.Ending}); {Counters(evidence)}" + (said ? $": {died.Cause[LogPatterns.KilledPrefix.Length..]}" : "");
    }

    /// <summary>What the OOM counters said, for a SIGKILL they did not explain.</summary>
    private static string Counters(CellEvidence evidence) => evidence.Server.Container switch
    {
        null => "no OOM counter was read",
        { OomKills: { } kills } c => $"no OOM counter moved (the memory cgroup's oom_kill {kills.ToString(CultureInfo.InvariantCulture)}, Docker's OOMKilled {(c.OomKilled ? "true" : "false")}, limit {evidence.Launch?.MemLimit ?? "none"})",
        var c => $"Docker's OOMKilled is {(c.OomKilled ? "true" : "false")} (limit {evidence.Launch?.MemLimit ?? "none"}; the memory cgroup's count was not read)",
    };

    /// <summary>The processes of the dead kernel itself (found by its connection file) that exited.</summary>
    private static IEnumerable<KernelProcessSeen> Dead(KernelDiedException died, CellEvidence evidence) =>
        evidence.KernelProcesses.Where(p => p.KernelId == died.KernelId && p.Lived is not null);

    private static string? ServerLogCause(CellEvidence evidence) => CauseFinder.Find(evidence.ServerLog);

    [GeneratedRegex(@"No module named '(?<package>[A-Za-z_][\w]*)[.']")]
    private static partial Regex MissingModule();
}
