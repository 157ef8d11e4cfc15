using System.Diagnostics;
using System.Runtime.InteropServices;
using KernelRegression.Logs;

namespace KernelRegression.Host;

/// <summary>
/// A program started in a session and process group of its own (via setsid), its stdout and stderr
/// streamed into a <see cref="LogTail"/>, and the whole group signalled at the end, so no
/// grandchild survives a normal teardown.
/// </summary>
public sealed partial class ProcessGroup : IAsyncDisposable
{
    private readonly System.Diagnostics.Process _process;
    private readonly TaskCompletionSource<int> _exited = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private ProcessGroup(System.Diagnostics.Process process, LogTail log)
    {
        _process = process;
        Log = log;
    }

    public int Pid => _process.Id;
    public LogTail Log { get; }
    public Task<int> Exited => _exited.Task;
    public bool HasExited => _exited.Task.IsCompleted;

    public static ProcessGroup Start(string program, IEnumerable<string> args, string workingDirectory,
        IReadOnlyDictionary<string, string> environment, LogTail log)
    {
        var psi = new ProcessStartInfo("/usr/bin/setsid")
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        psi.ArgumentList.Add(program);
        foreach (var a in args)
        {
            psi.ArgumentList.Add(a);
        }
        psi.Environment.Clear();
        foreach (var (k, v) in environment)
        {
            psi.Environment[k] = v;
        }
        var process = new System.Diagnostics.Process { StartInfo = psi, EnableRaisingEvents = true };
        var group = new ProcessGroup(process, log);
        process.OutputDataReceived += (_, e) => { if (e.Data is not null) { log.Append(e.Data); } };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) { log.Append(e.Data); } };
        process.Exited += (_, _) => group._exited.TrySetResult(SafeExitCode(process));
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return group;
    }

    /// <summary>Sends a signal to the whole group (setsid made the pid the group id).</summary>
    public void Signal(int signal) => Kill(-_process.Id, signal);

    /// <summary>SIGTERM to the group, then SIGKILL after the grace period.</summary>
    public async Task StopAsync(TimeSpan grace)
    {
        if (HasExited)
        {
            Kill(-_process.Id, Signals.Kill); // stragglers of an exited leader
            return;
        }
        Signal(Signals.Term);
        if (await Task.WhenAny(Exited, Task.Delay(grace)) != Exited)
        {
            Signal(Signals.Kill);
            await Task.WhenAny(Exited, Task.Delay(TimeSpan.FromSeconds(2)));
        }
        Kill(-_process.Id, Signals.Kill);
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync(TimeSpan.FromSeconds(5));
        _process.Dispose();
    }

    private static int SafeExitCode(System.Diagnostics.Process p)
    {
        try
        {
            return p.ExitCode;
        }
        catch (InvalidOperationException)
        {
            return -1;
        }
    }

    /// <summary>kill(2): a signal to a pid, or to a process group when negative.</summary>
    public static int Kill(int pid, int signal) => NativeKill(pid, signal);

    [LibraryImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static partial int NativeKill(int pid, int sig);
}

/// <summary>POSIX signal numbers (Linux).</summary>
public static class Signals
{
    public const int Kill = 9;
    public const int Term = 15;
    public const int Stop = 19;
    public const int Cont = 18;
    public const int Interrupt = 2;
}
