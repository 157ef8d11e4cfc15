using System.Text;
using CliWrap;
using CliWrap.Buffered;
using KernelRegression.Host;

namespace KernelRegression.Tiers.Docker;

/// <summary>The docker command line, for what Testcontainers does not do: builds with streamed logs, import, sweeps.</summary>
public static class DockerCli
{
    public const string RunLabel = "org.kernelregression.run";
    public const string OwnerLabel = "org.kernelregression.owner";
    public const string Owner = "kernelregression";

    /// <summary>Fails fast, naming the fix, when no Docker engine answers.</summary>
    public static async Task RequireEngineAsync(CancellationToken ct)
    {
        BufferedCommandResult r;
        try
        {
            using var cts = CancellationTokenSource.CreateLinkedTokenSource(ct);
            cts.CancelAfter(TimeSpan.FromSeconds(10));
            r = await Cli.Wrap("docker").WithArguments(["version", "--format", "{{.Server.APIVersion}}"])
                .WithValidation(CommandResultValidation.None).ExecuteBufferedAsync(cts.Token);
        }
        catch (Exception e) when (e is System.ComponentModel.Win32Exception or CliWrap.Exceptions.CommandExecutionException)
        {
            throw new MissingPrerequisiteException("the docker command is not installed", "run eng/bootstrap.sh docker (as root) to install and start a Docker engine");
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
            throw new MissingPrerequisiteException("the Docker engine did not answer within 10 s", "check `docker info`; start the engine with eng/bootstrap.sh docker");
        }
        if (r.ExitCode != 0)
        {
            throw new MissingPrerequisiteException($"no Docker engine answers: {r.StandardError.Trim()}",
                "run eng/bootstrap.sh docker (as root): it installs a Docker engine with API >= 1.44 and starts it");
        }
        var api = Version.TryParse(r.StandardOutput.Trim(), out var v) ? v : new Version(0, 0);
        if (api < new Version(1, 44))
        {
            throw new MissingPrerequisiteException($"the Docker engine speaks API {api}; Testcontainers needs 1.44 or newer",
                "install a newer engine: eng/bootstrap.sh docker takes trixie's docker.io on Debian 12");
        }
    }

    public static async Task<bool> ImageExistsAsync(string tag, CancellationToken ct) =>
        (await Cli.Wrap("docker").WithArguments(["image", "inspect", "--format", "{{.Id}}", tag])
            .WithValidation(CommandResultValidation.None).ExecuteBufferedAsync(ct)).ExitCode == 0;

    public static async Task<string> ImageIdAsync(string tag, CancellationToken ct) =>
        (await Cli.Wrap("docker").WithArguments(["image", "inspect", "--format", "{{.Id}}", tag]).ExecuteBufferedAsync(ct)).StandardOutput.Trim();

    /// <summary>`docker inspect --format`: one value of a container, e.g. its address on a network.</summary>
    public static async Task<string> InspectAsync(string container, string format, CancellationToken ct)
    {
        var r = await Cli.Wrap("docker").WithArguments(["inspect", "--format", format, container])
            .WithValidation(CommandResultValidation.None).ExecuteBufferedAsync(ct);
        return r.ExitCode == 0 && r.StandardOutput.Trim() is { Length: > 0 } v
            ? v
            : throw new HarnessFaultException($"docker inspect of {container} ({format}) gave nothing: {r.StandardError.Trim()}",
                "the container is gone or not on that network: `docker ps -a --filter name=" + container + "`");
    }

    /// <summary>Runs a docker command, streaming each output line to <paramref name="onLine"/>; throws with the output's tail on failure.</summary>
    public static async Task RunAsync(IEnumerable<string> args, Action<string> onLine, CancellationToken ct,
        IReadOnlyDictionary<string, string?>? env = null, Stream? stdin = null, string what = "docker")
    {
        var tail = new Queue<string>();
        void Line(string l)
        {
            tail.Enqueue(l);
            if (tail.Count > 25)
            {
                tail.Dequeue();
            }
            onLine(l);
        }
        var cmd = Cli.Wrap("docker").WithArguments(args)
            .WithEnvironmentVariables(env ?? new Dictionary<string, string?>())
            .WithStandardOutputPipe(PipeTarget.ToDelegate(Line))
            .WithStandardErrorPipe(PipeTarget.ToDelegate(Line))
            .WithValidation(CommandResultValidation.None);
        if (stdin is not null)
        {
            cmd = cmd.WithStandardInputPipe(PipeSource.FromStream(stdin));
        }
        var result = await cmd.ExecuteAsync(ct);
        if (result.ExitCode != 0)
        {
            // The first line is what reports show: the command's own last words, not the builder's chatter.
            var said = tail.Select(Logs.CauseFinder.StripAnsi).LastOrDefault(l => l.Trim().Length > 0 && !l.StartsWith("The command ", StringComparison.Ordinal)
                && !l.StartsWith(" ---> ", StringComparison.Ordinal) && !l.StartsWith("Removing intermediate", StringComparison.Ordinal)) ?? "";
            throw new HarnessFaultException($"{what} failed (exit {result.ExitCode}): {said.Trim()}\n{string.Join('\n', tail)}",
                "read the output above; a recipe error names its Dockerfile line");
        }
    }

    /// <summary>Removes every container and network labelled with the run id.</summary>
    public static Task RemoveRunAsync(string runId, CancellationToken ct) => RemoveAsync([$"label={RunLabel}={runId}"], ct);

    /// <summary>Removes the containers, then the networks, matching every filter.</summary>
    public static async Task RemoveAsync(IReadOnlyList<string> filters, CancellationToken ct)
    {
        var f = filters.SelectMany(x => new[] { "--filter", x }).ToArray();
        var containers = await IdsAsync(["ps", "-aq", .. f], ct);
        if (containers.Count > 0)
        {
            await Cli.Wrap("docker").WithArguments(["rm", "-f", "-v", .. containers]).WithValidation(CommandResultValidation.None).ExecuteBufferedAsync(ct);
        }
        foreach (var network in await IdsAsync(["network", "ls", "-q", .. f], ct))
        {
            await Cli.Wrap("docker").WithArguments(["network", "rm", network]).WithValidation(CommandResultValidation.None).ExecuteBufferedAsync(ct);
        }
        var volumes = await IdsAsync(["volume", "ls", "-q", .. f], ct);
        if (volumes.Count > 0)
        {
            await Cli.Wrap("docker").WithArguments(["volume", "rm", "-f", .. volumes]).WithValidation(CommandResultValidation.None).ExecuteBufferedAsync(ct);
        }
    }

    private static readonly Lazy<Task<IReadOnlyList<string>>> Swept = new(() => SweepStaleAsync(CancellationToken.None));

    /// <summary>Once per process: removes containers and networks of runs whose owner is gone (a crashed harness).</summary>
    public static Task<IReadOnlyList<string>> SweepStaleOnceAsync() => Swept.Value;

    public static async Task<IReadOnlyList<string>> SweepStaleAsync(CancellationToken ct)
    {
        var stale = (await LabelledRunsAsync(ct)).Where(id => !Host.StaleRuns.IsLive(id)).ToList();
        foreach (var id in stale)
        {
            await RemoveRunAsync(id, ct);
        }
        return stale;
    }

    /// <summary>Run ids of every labelled container or network on this engine.</summary>
    public static async Task<IReadOnlySet<string>> LabelledRunsAsync(CancellationToken ct)
    {
        var runs = new HashSet<string>();
        var format = "{{.Label \"" + RunLabel + "\"}}";
        foreach (var args in new[]
        {
            new[] { "ps", "-a", "--filter", $"label={OwnerLabel}={Owner}", "--format", format },
            ["network", "ls", "--filter", $"label={OwnerLabel}={Owner}", "--format", format],
            ["volume", "ls", "--filter", $"label={OwnerLabel}={Owner}", "--format", format],
        })
        {
            var r = await Cli.Wrap("docker").WithArguments(args).WithValidation(CommandResultValidation.None).ExecuteBufferedAsync(ct);
            foreach (var line in r.StandardOutput.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
            {
                runs.Add(line);
            }
        }
        return runs;
    }

    public static async Task<int> CountRunAsync(string runId, CancellationToken ct) =>
        (await IdsAsync(["ps", "-aq", "--filter", $"label={RunLabel}={runId}"], ct)).Count
        + (await IdsAsync(["network", "ls", "-q", "--filter", $"label={RunLabel}={runId}"], ct)).Count
        + (await IdsAsync(["volume", "ls", "-q", "--filter", $"label={RunLabel}={runId}"], ct)).Count;

    /// <summary>The ids a listing command prints (one per line); none when Docker refuses it.</summary>
    internal static async Task<List<string>> IdsAsync(string[] args, CancellationToken ct)
    {
        var r = await Cli.Wrap("docker").WithArguments(args).WithValidation(CommandResultValidation.None).ExecuteBufferedAsync(Encoding.UTF8, ct);
        return r.ExitCode == 0 ? [.. r.StandardOutput.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)] : [];
    }
}
