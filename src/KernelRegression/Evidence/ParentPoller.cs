using System.Globalization;
using KernelRegression.Logs;
using KernelRegression.Host;
using KernelRegression.Tiers;

namespace KernelRegression.Evidence;

/// <summary>
/// What the evidence shows of a kernel that died silently at its start while its parent, the server, is
/// PID 1: the dead kernel's own processes (found by its connection file), each a child of a process the
/// tree recognises as the server, that server PID 1 of its namespace, how long each lived and how it ended.
/// </summary>
public sealed record SilentDeathAtStart(IReadOnlyList<KernelProcessSeen> Dead, string Server)
{
    public TimeSpan LongestLife => Dead.Max(p => p.Lived!.Value);

    /// <summary>The server's command line as a cause quotes it: at most 80 characters.</summary>
    public string ServerQuoted => Server.Length > 80 ? Server[..80] + "…" : Server;

    /// <summary>"kernel died 0.6 s after start, exit 1, without an error of its own; its parent, the server `…`, is PID 1 of its namespace (2 deaths seen)".</summary>
    public string Seen =>
        $"kernel died {Seconds(Dead[0].Lived!.Value)} after start, {Dead[0].End?.ToString() ?? "its exit status not seen"}, without an error of its own; " +
        $"its parent, the server `{ServerQuoted}`, is PID 1 of its namespace ({Dead.Count} death(s) seen)";

    internal static string Seconds(TimeSpan t) => t.TotalSeconds.ToString("0.0", CultureInfo.InvariantCulture) + " s";
}

/// <summary>
/// The incident's mechanism (ipython/ipykernel#233: ipykernel 4.0.1-4.5.2 exits with os._exit(1) when
/// getppid() == 1, so under a server that is PID 1 every kernel dies at start, silently), claimed only when
/// shown: the silent death at start under a PID-1 server (<see cref="SilentDeathAtStart"/>), and the
/// difference, the same image and user options with an init as PID 1 keeping its kernel alive
/// (<see cref="ControlLaunch"/>). The 2017 poller logged nothing, so no log line is required, and none is
/// enough. Short of the control, the cause says what was seen and that it is not proven.
/// </summary>
public static class ParentPoller
{
    /// <summary>The words a proven cause starts with (the matrix's incident rules look for them).</summary>
    public const string Proven = "kernel died at start while the server, its parent, is PID 1";

    /// <summary>The silent death at start under a PID-1 server, before any control; null where the evidence shows something else.</summary>
    public static SilentDeathAtStart? Seen(KernelDiedException died, CellEvidence evidence)
    {
        if (!died.AtStart)
        {
            return null; // it had answered: it did not die at its start
        }
        if (CauseFinder.FindCause([died.Cause]) is { Pattern.Name: not "restarter" })
        {
            return null; // the kernel (or its server) said why it died: that is the cause
        }
        var dead = evidence.KernelProcesses.Where(p => p.KernelId == died.KernelId && p.Lived is not null).ToList();
        var server = evidence.Server.Processes?.Server;
        // The tree must have been read and must name the server as PID 1, and every dead process must be its child.
        if (dead.Count == 0 || server is not { Pid: 1 }
            || !dead.All(p => p.ParentIsPid1 && ProcessRow.IsServerCommand(p.ParentCommand) && SameCommand(p.ParentCommand, server.Command)))
        {
            return null;
        }
        // The poller exits with 1; a kernel killed by a signal, or exiting otherwise, died of something else.
        return dead.Any(p => p.End is { } end && end.ExitCode != 1) ? null : new SilentDeathAtStart(dead, server.Command);
    }

    public static string Cause(SilentDeathAtStart seen, ControlLaunch? control) =>
        control is { KeptKernelAlive: true }
            ? $"{Proven} (`{seen.ServerQuoted}`): its kernel exited {SilentDeathAtStart.Seconds(seen.Dead[0].Lived!.Value)} after start, " +
              $"{seen.Dead[0].End?.ToString() ?? "its exit status not seen"}, without an error of its own ({seen.Dead.Count} death(s) seen); {control.Summary} " +
              "— ipykernel's parent poller exits when getppid() == 1 (ipython/ipykernel#233)"
            : control is { KernelDiedToo: true }
                ? $"{seen.Seen}; {control.Summary}: not the parent poller, the kernel dies whoever its parent is"
                : $"{seen.Seen}; not proven: {control?.Summary ?? "no control"}";

    private static bool SameCommand(string a, string b) =>
        string.Join(' ', a.Split(' ', StringSplitOptions.RemoveEmptyEntries)) == string.Join(' ', b.Split(' ', StringSplitOptions.RemoveEmptyEntries));
}
