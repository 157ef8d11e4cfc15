using System.Globalization;
using KernelRegression.Checks;
using KernelRegression.Logs;

namespace KernelRegression.Evidence;

/// <summary>A check's failure as the runner caught it, before it is explained.</summary>
public sealed record CheckFailure(Exception Error, bool IsHarness);

/// <summary>
/// Turns what went wrong into one line a tired operator can act on, from the typed evidence: the
/// mechanism where the evidence shows one (an OOM counter; a kernel that exits without a word while
/// its parent is PID 1), else the death's own last words, the server's log, or the deadline's last
/// sight. Runs once per cell, after the evidence is in.
/// </summary>
public static class Explainer
{
    /// <summary>Sorts a caught exception: a harness error (never a verdict) or the deployment's failure.</summary>
    public static CheckFailure Classify(Exception e) => new(e, Blame.IsHarness(e));

    public static string Cause(CheckFailure failure, CellEvidence evidence)
    {
        var e = failure.Error;
        if (failure.IsHarness)
        {
            return e is HarnessException h ? h.What.Split('\n')[0] : $"{e.GetType().Name}: {e.Message.Split('\n')[0]}";
        }
        if (e is not CheckFailedException && (OutOfMemory(evidence) ?? ParentPoller(e, evidence)) is { } mechanism)
        {
            return mechanism;
        }
        return e switch
        {
            KernelDiedException d => d.Cause,
            SpawnFailedException f => f.Cause ?? $"spawn failed: {f.HubMessage}",
            // An API error or a deadline is the symptom; the server's own log usually holds the reason.
            JupyterApiException a => ServerLogCause(evidence) ?? a.What.Split('\n')[0],
            DeadlineExceededException d => ServerLogCause(evidence) ?? $"timed out waiting for {d.Awaited}; last seen: {d.LastSeen}",
            HarnessException h => h.What.Split('\n')[0],
            _ => e.Message,
        };
    }

    /// <summary>
    /// A kernel killed by the OOM killer leaves no traceback: only the cgroup's counter (or Docker's
    /// OOMKilled) says why.
    /// </summary>
    private static string? OutOfMemory(CellEvidence evidence)
    {
        if (evidence.Server.Container is not { } c || (c.OomKills is not > 0 && !c.OomKilled))
        {
            return null;
        }
        var limit = evidence.Launch?.MemLimit ?? "?";
        // Docker sets OOMKilled for any OOM kill in the container; while it still runs, the victim was the kernel.
        return c.Running
            ? $"out of memory: the container's memory cgroup OOM-killed the kernel ({Math.Max(c.OomKills ?? 0, 1)} kill(s), limit {limit}); it died without a traceback"
            : $"out of memory: the container was OOM-killed (exit {c.ExitCode?.ToString(CultureInfo.InvariantCulture) ?? "?"}, limit {limit})";
    }

    /// <summary>
    /// The incident's mechanism, from evidence specific to it: the kernel died; its own output holds no
    /// error of its own (an exception, a refused permission, an OOM line) — or it said "Parent appears to
    /// have exited" —; and the process watch saw a kernel process exit while its parent, the server,
    /// was PID 1 of its namespace, which the process tree (where there is one) confirms.
    /// </summary>
    private static string? ParentPoller(Exception e, CellEvidence evidence)
    {
        if (e is not KernelDiedException died)
        {
            return null;
        }
        // The death's own cause line (from the log since the kernel started), by kind.
        var own = CauseFinder.FindCause([died.Cause]);
        var saidSo = own?.Pattern.Name == "parent poller";
        if (own is not null && own.Pattern.Name != "restarter" && !saidSo)
        {
            return null; // the kernel (or its server) said why it died: that is the cause
        }
        var exits = evidence.KernelProcesses.Where(p => p.Lived is not null && p.ParentIsPid1).ToList();
        var treeAgrees = evidence.Server.Processes is not { } tree || tree.Server is null || tree.ServerIsPid1;
        if (!treeAgrees || (exits.Count == 0 && !saidSo))
        {
            return null;
        }
        var server = exits.FirstOrDefault()?.ParentCommand ?? evidence.Server.Processes?.Server?.Command ?? "the server";
        var how = exits.Count > 0
            ? $"the kernel process exited {Seconds(exits[0].Lived!.Value)} after start without an error of its own ({exits.Count} time(s) seen)"
            : "the kernel logged \"Parent appears to have exited\"";
        return $"kernel died at start while the server, its parent, is PID 1 (`{Clip(server)}`): {how} — ipykernel's parent poller exits when getppid() == 1";
    }

    private static string? ServerLogCause(CellEvidence evidence) => CauseFinder.Find(evidence.ServerLog);

    private static string Seconds(TimeSpan t) => t.TotalSeconds.ToString("0.0", CultureInfo.InvariantCulture) + " s";

    private static string Clip(string s) => Report.ReportText.Clip(s, 80);
}
