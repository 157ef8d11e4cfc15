using System.Diagnostics;
using System.Globalization;

namespace KernelRegression.Kubernetes.Tests;

/// <summary>
/// A pod's pid namespace on this machine, made as the container runtime makes one (unshare --pid, /proc
/// mounted for it): its PID 1 runs a script, and <see cref="Enter"/> wraps a command in the nsenter that
/// runs it inside, as the runtime enters a container's namespaces for an exec. A process entered so has
/// its parent outside the namespace (PPID 0), as an exec's process has, and as a container's main process
/// has in a pod that shares its process namespace. Needs root (unshare, nsenter); killed at dispose (PID 1
/// goes, and the kernel kills the rest of the namespace with it).
/// </summary>
internal sealed class PodPidNamespace : IDisposable
{
    private readonly Process _unshare;
    private readonly List<Process> _entered = [];
    private readonly Dictionary<string, string> _env;

    private PodPidNamespace(Process unshare, int pid1, Dictionary<string, string> env)
    {
        _unshare = unshare;
        Pid1OnHost = pid1;
        _env = env;
    }

    /// <summary>PID 1 of the namespace as this machine numbers it.</summary>
    public int Pid1OnHost { get; }

    /// <summary>
    /// A namespace whose PID 1 is bash running <paramref name="script"/> with <paramref name="env"/>; returns once
    /// PID 1's command line starts with <paramref name="pid1Argv0"/> (the script's `exec -a NAME` is done).
    /// </summary>
    public static async Task<PodPidNamespace> StartAsync(string pid1Argv0, string script, Dictionary<string, string> env, CancellationToken ct)
    {
        var unshare = Start(["unshare", "--fork", "--pid", "--mount-proc", "--kill-child", "bash", "-c", script], env);
        try
        {
            var pid1 = 0;
            await Until(() => (pid1 = ChildOf(unshare.Id)) > 0 && CommandLine(pid1).StartsWith(pid1Argv0 + "\0", StringComparison.Ordinal),
                $"PID 1 of the namespace to run as {pid1Argv0}", ct);
            return new PodPidNamespace(unshare, pid1, env);
        }
        catch
        {
            unshare.Kill(entireProcessTree: true);
            unshare.Dispose();
            throw;
        }
    }

    /// <summary>The command as an exec into the namespace runs it.</summary>
    public IReadOnlyList<string> Enter(IReadOnlyList<string> command) =>
        ["nsenter", "--target", Pid1OnHost.ToString(CultureInfo.InvariantCulture), "--pid", "--mount", "--", .. command];

    /// <summary>Starts bash running <paramref name="script"/> inside (the namespace's environment), as another container of the pod.</summary>
    public void StartInside(string script) => _entered.Add(Start(Enter(["bash", "-c", script]), _env));

    /// <summary>Its stdin a pipe of its own, never the test host's.</summary>
    private static Process Start(IReadOnlyList<string> argv, Dictionary<string, string> env)
    {
        var info = new ProcessStartInfo(argv[0]) { UseShellExecute = false, RedirectStandardInput = true };
        foreach (var a in argv.Skip(1))
        {
            info.ArgumentList.Add(a);
        }
        foreach (var (k, v) in env)
        {
            info.Environment[k] = v;
        }
        return Process.Start(info)!;
    }

    private static int ChildOf(int pid)
    {
        var children = File.Exists($"/proc/{pid}/task/{pid}/children") ? File.ReadAllText($"/proc/{pid}/task/{pid}/children").Trim() : "";
        return children.Length == 0 ? 0 : int.Parse(children.Split(' ')[0], CultureInfo.InvariantCulture);
    }

    private static string CommandLine(int pid)
    {
        try
        {
            return File.ReadAllText($"/proc/{pid}/cmdline");
        }
        catch (IOException)
        {
            return "";
        }
    }

    /// <summary>/proc says nothing when a process execs: looked at every 20 ms, for 10 s at most.</summary>
    private static async Task Until(Func<bool> condition, string what, CancellationToken ct)
    {
        var clock = Stopwatch.StartNew();
        while (!condition())
        {
            if (clock.Elapsed > TimeSpan.FromSeconds(10))
            {
                throw new TimeoutException($"waited 10 s for {what}");
            }
            await Task.Delay(20, ct);
        }
    }

    public void Dispose()
    {
        foreach (var p in _entered.Append(_unshare))
        {
            try
            {
                p.Kill(entireProcessTree: true);
            }
            catch (InvalidOperationException)
            {
                // exited already
            }
            p.Dispose();
        }
    }
}
