using System.Diagnostics;
using System.Text.RegularExpressions;

namespace KernelRegression.Suite.Cli;

/// <summary>Runs the built kr command line (src/kr/bin/…/kr.dll) as an operator would, capturing its exit code and output.</summary>
public static partial class KrProcess
{
    /// <summary>The kr built by the same solution build as these tests (same configuration), so they test what was built with them.</summary>
    public static string Dll
    {
        get
        {
            var configuration = AppContext.BaseDirectory.Contains("/Release/", StringComparison.Ordinal) ? "Release" : "Debug";
            var dll = Path.GetFullPath(Path.Combine(FixturePaths.Root, "..", "src", "kr", "bin", configuration, "net10.0", "kr.dll"));
            return File.Exists(dll) ? dll : throw new InvalidOperationException($"{dll} is not built: run `dotnet build KernelRegression.sln` first");
        }
    }

    /// <summary>Exit code and output (stdout + stderr, whitespace runs made one space). Every run is also held to what piped
    /// output must be: no Spectre markup printed literally (`[red]worse[/]`).</summary>
    public static Task<(int ExitCode, string Output)> RunAsync(CancellationToken ct, params string[] args) =>
        RunAsync(new Dictionary<string, string>(), ct, args);

    /// <param name="env">Environment set for this run only (e.g. DOCKER_HOST at an engine that is not there).</param>
    public static Task<(int ExitCode, string Output)> RunAsync(IReadOnlyDictionary<string, string> env, CancellationToken ct, params string[] args) =>
        RunAsync(env, Deadline.Of(60), ct, args);

    /// <param name="timeout">How long the run may take (a docker run starts a hub, maybe builds an image).</param>
    public static async Task<(int ExitCode, string Output)> RunAsync(IReadOnlyDictionary<string, string> env, TimeSpan timeout, CancellationToken ct, params string[] args)
    {
        var start = new ProcessStartInfo("dotnet", [Dll, .. args]) { WorkingDirectory = Path.GetTempPath() };
        start.Environment["NO_COLOR"] = "1";
        foreach (var (k, v) in env)
        {
            start.Environment[k] = v;
        }
        var (exitCode, stdout, stderr) = await ChildProcess.RunAsync(start, timeout, ct);
        var literal = LiteralMarkup().Match(stdout + stderr);
        literal.Success.Should().BeFalse($"kr's piped output must not show Spectre markup, but printed «{literal.Value}» in: {stdout}{stderr}");
        return (exitCode, Whitespace().Replace(stdout + " " + stderr, " "));
    }

    [GeneratedRegex(@"\s+")]
    private static partial Regex Whitespace();

    /// <summary>Spectre's markup tags as they look when printed instead of rendered.</summary>
    [GeneratedRegex(@"\[/\]|\[(red|green|yellow|grey|bold|link)\]")]
    public static partial Regex LiteralMarkup();
}
