using System.Diagnostics;

namespace KernelRegression.Tests.Support;

/// <summary>Runs one of the repository's eng/ scripts to its end (at most a minute), with its exit code and output (stdout, then stderr).</summary>
internal static class EngScript
{
    public static async Task<(int Exit, string Output)> RunAsync(string script, IEnumerable<string> args, IReadOnlyDictionary<string, string>? env = null)
    {
        var start = new ProcessStartInfo(Path.Combine(FixturePaths.Root, "..", "eng", script), args)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var (k, v) in env ?? new Dictionary<string, string>())
        {
            start.Environment[k] = v;
        }
        var ct = TestContext.Current.CancellationToken;
        using var p = Process.Start(start)!;
        var stdout = p.StandardOutput.ReadToEndAsync(ct);
        var stderr = p.StandardError.ReadToEndAsync(ct);
        try
        {
            await p.WaitForExitAsync(ct).WaitAsync(TimeSpan.FromSeconds(60), ct);
        }
        finally
        {
            if (!p.HasExited)
            {
                p.Kill(entireProcessTree: true);
            }
        }
        return (p.ExitCode, await stdout + await stderr);
    }
}
