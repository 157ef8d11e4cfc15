using System.Globalization;
using System.Text.RegularExpressions;

namespace KernelRegression.Tiers;

/// <summary>One process of a server's world: pid, parent, uid, command line.</summary>
public sealed partial record ProcessRow(int Pid, int PPid, int Uid, string Command)
{
    /// <summary>The single-user server itself: not an init or a shell that merely names it in its arguments.</summary>
    public bool IsServer => !IsWrapper && IsServerCommand(Command);

    /// <summary>
    /// Whether a command line runs a Jupyter server: jupyterhub-singleuser, jupyter-notebook / jupyter notebook /
    /// python3 -m notebook, jupyter-server, jupyter-lab, or their app classes (NotebookApp, ServerApp, LabApp).
    /// </summary>
    public static bool IsServerCommand(string command) => ServerCommand().IsMatch(command);

    /// <summary>An init (docker-init, tini) or a shell in front of the server.</summary>
    public bool IsWrapper =>
        Path.GetFileName(Command.Split(' ', 2)[0]) is "docker-init" or "tini" or "sh" or "bash" or "dash";

    [GeneratedRegex(@"(^|[/\s])(jupyterhub-singleuser|jupyter-(notebook|server|lab|labhub)|jupyter (notebook|server|lab))(\s|$)|\s-m (notebook|jupyter_server|jupyterlab|jupyterhub\.singleuser)(\s|$)|\b(NotebookApp|ServerApp|LabApp)\b|notebook\.notebookapp")]
    private static partial Regex ServerCommand();

    public bool IsKernel =>
        Command.Contains("ipykernel", StringComparison.Ordinal)
        || (Command.Contains("kernel-", StringComparison.Ordinal) && Command.Contains(".json", StringComparison.Ordinal));
}

/// <summary>
/// The processes around a single-user server, and the roles that matter for kernels: who is PID 1,
/// who is the server, who is the kernel's parent (the incident was a server that was PID 1).
/// </summary>
public sealed record ProcessTree(IReadOnlyList<ProcessRow> Rows)
{
    /// <summary>Parses lines "pid ppid uid command…" (what <see cref="ServerProbe"/> prints).</summary>
    public static ProcessTree Parse(string text) => new(ServerProbe.ParseTable(text));

    public ProcessRow? Pid1 => Rows.FirstOrDefault(r => r.Pid == 1);

    /// <summary>The outermost server process (a server's own children, e.g. a re-exec, are not the server).</summary>
    public ProcessRow? Server => Rows.Where(r => r.IsServer).OrderBy(r => r.Pid)
        .FirstOrDefault(r => Rows.FirstOrDefault(p => p.Pid == r.PPid) is not { IsServer: true });

    /// <summary>The newest kernel process.</summary>
    public ProcessRow? Kernel => Rows.Where(r => r.IsKernel).OrderByDescending(r => r.Pid).FirstOrDefault();

    public ProcessRow? KernelParent => Kernel is { } k ? Rows.FirstOrDefault(r => r.Pid == k.PPid) : null;

    public bool ServerIsPid1 => Server?.Pid == 1;

    /// <summary>The roles as facts (keys the diagnosis ranks: proc.pid1, proc.server.*, proc.kernel.*).</summary>
    public IEnumerable<(string Key, string Value)> Facts()
    {
        if (Pid1 is { } init)
        {
            yield return ("proc.pid1", init.Command);
        }
        if (Server is { } server)
        {
            yield return ("proc.server.pid", Text(server.Pid));
            yield return ("proc.server.ppid", Text(server.PPid));
            yield return ("proc.server.is_pid1", ServerIsPid1 ? "true" : "false");
            yield return ("user.uid", Text(server.Uid));
        }
        yield return ("proc.kernel.running", Kernel is null ? "false" : "true");
        if (Kernel is { } kernel)
        {
            yield return ("proc.kernel.pid", Text(kernel.Pid));
            yield return ("proc.kernel.ppid", Text(kernel.PPid));
            yield return ("proc.kernel.parent", KernelParent?.Command ?? "?");
        }
    }

    public string Render() =>
        "PID PPID UID COMMAND\n" + string.Join('\n', Rows.Select(r => $"{r.Pid} {r.PPid} {r.Uid} {r.Command}"));

    private static string Text(int i) => i.ToString(CultureInfo.InvariantCulture);
}
