using System.Diagnostics;

namespace KernelRegression.Suite.Support;

/// <summary>Runs a program to its end with its output captured, killing it (and what it started) when it overruns.</summary>
internal static class ChildProcess
{
    /// <summary>
    /// Starts <paramref name="start"/> with stdout and stderr redirected and waits at most <paramref name="timeout"/>.
    /// On overrun its process tree is killed and the cancellation is thrown, or the exception
    /// <paramref name="overrun"/> makes of the stderr so far.
    /// </summary>
    public static async Task<(int ExitCode, string Stdout, string Stderr)> RunAsync(
        ProcessStartInfo start, TimeSpan timeout, CancellationToken ct, Func<string, Exception>? overrun = null)
    {
        start.RedirectStandardOutput = true;
        start.RedirectStandardError = true;
        using var p = System.Diagnostics.Process.Start(start)!;
        var stdout = p.StandardOutput.ReadToEndAsync(ct);
        var stderr = p.StandardError.ReadToEndAsync(ct);
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(ct);
        deadline.CancelAfter(timeout);
        try
        {
            await p.WaitForExitAsync(deadline.Token);
        }
        catch (OperationCanceledException)
        {
            p.Kill(entireProcessTree: true);
            if (overrun is null)
            {
                throw;
            }
            throw overrun(await stderr);
        }
        return (p.ExitCode, await stdout, await stderr);
    }
}
