using System.Globalization;

namespace KernelRegression.Evidence;

/// <summary>One process of a server's world: pid, parent, uid, command line.</summary>
public sealed record ProcessRow(int Pid, int PPid, int Uid, string Command);

/// <summary>
/// The processes around a single-user server, and the facts that matter for kernels: who is PID 1,
/// who is the server, who is each kernel's parent (the incident was a server that was PID 1).
/// </summary>
public static class ProcessTable
{
    /// <summary>Parses lines "pid ppid uid command…" (what the collection scripts print).</summary>
    public static IReadOnlyList<ProcessRow> Parse(string text) =>
        text.Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(l => l.Split(' ', 4))
            .Where(p => p.Length == 4 && int.TryParse(p[0], out _))
            .Select(p => new ProcessRow(Int(p[0]), Int(p[1]), Int(p[2]), p[3].Trim()))
            .ToList();

    public static bool IsServer(ProcessRow p) =>
        p.Command.Contains("jupyterhub-singleuser", StringComparison.Ordinal)
        || p.Command.Contains("ServerApp", StringComparison.Ordinal)
        || p.Command.Contains("notebook.notebookapp", StringComparison.Ordinal);

    public static bool IsKernel(ProcessRow p) => p.Command.Contains("ipykernel", StringComparison.Ordinal) || p.Command.Contains("kernel-", StringComparison.Ordinal) && p.Command.Contains(".json", StringComparison.Ordinal);

    public static void AddFacts(IReadOnlyList<ProcessRow> rows, IDictionary<string, string> facts)
    {
        var byPid = rows.ToDictionary(r => r.Pid);
        if (byPid.TryGetValue(1, out var init))
        {
            facts["proc.pid1"] = init.Command;
        }
        var server = rows.Where(IsServer).OrderBy(r => r.Pid).FirstOrDefault(r => !byPid.TryGetValue(r.PPid, out var parent) || !IsServer(parent));
        if (server is not null)
        {
            facts["proc.server.pid"] = server.Pid.ToString(CultureInfo.InvariantCulture);
            facts["proc.server.ppid"] = server.PPid.ToString(CultureInfo.InvariantCulture);
            facts["proc.server.is_pid1"] = (server.Pid == 1).ToString().ToLowerInvariant();
            facts["user.uid"] = server.Uid.ToString(CultureInfo.InvariantCulture);
        }
        var kernel = rows.Where(IsKernel).OrderByDescending(r => r.Pid).FirstOrDefault();
        facts["proc.kernel.running"] = (kernel is not null).ToString().ToLowerInvariant();
        if (kernel is not null)
        {
            facts["proc.kernel.pid"] = kernel.Pid.ToString(CultureInfo.InvariantCulture);
            facts["proc.kernel.ppid"] = kernel.PPid.ToString(CultureInfo.InvariantCulture);
            facts["proc.kernel.parent"] = byPid.TryGetValue(kernel.PPid, out var parent) ? parent.Command : "?";
        }
    }

    public static string Render(IReadOnlyList<ProcessRow> rows) =>
        "PID PPID UID COMMAND\n" + string.Join('\n', rows.Select(r => $"{r.Pid} {r.PPid} {r.Uid} {r.Command}"));

    private static int Int(string s) => int.Parse(s, CultureInfo.InvariantCulture);
}
