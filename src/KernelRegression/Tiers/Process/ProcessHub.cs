using System.Security.Cryptography;
using System.Text.Json;
using KernelRegression.Host;
using KernelRegression.Jupyter;
using KernelRegression.Logs;

namespace KernelRegression.Tiers.Process;

/// <summary>A running JupyterHub + configurable-http-proxy pair of local processes.</summary>
public sealed class ProcessHub : IHubDeployment, IKernelSignals, IServerKill, IProxyRestart, IHubRestart, IHomeFiles, IKernelProcessWatch, IEvidenceSource,
    IStudentLogin
{
    /// <summary>What the process tier cannot do, and why.</summary>
    public static IReadOnlyDictionary<Type, string> Missing { get; } = new Dictionary<Type, string>
    {
        [typeof(IServerPause)] = "the process tier has no containers to pause",
        [typeof(INetworkPartition)] = "the process tier runs everything on one loopback",
        [typeof(IPodDeletion)] = "the process tier has no pods",
        [typeof(IInitControl)] = "the process tier's servers are never PID 1 of a namespace (a control would need unshare --pid)",
    };

    private readonly ProcessHubBuilder _spec;
    private readonly Run _run;
    private readonly string _dir;
    private readonly Dictionary<string, string> _environment;
    private readonly int _proxyPort, _proxyApiPort, _hubPort;
    private ProcessGroup? _proxy;
    private ProcessGroup? _hub;

    private ProcessHub(ProcessHubBuilder spec, Run run, string dir, string token, string proxyToken)
    {
        _spec = spec;
        _run = run;
        _dir = dir;
        Token = token;
        StudentPassword = NewToken();
        (_proxyPort, _proxyApiPort, _hubPort) = (FreePort.Next(), FreePort.Next(), FreePort.Next());
        HubUrl = new Uri($"http://127.0.0.1:{_proxyPort}/");
        HubLog = new LogTail("hub", Path.Combine(dir, "hub.log"));
        ProxyLog = new LogTail("proxy", Path.Combine(dir, "proxy.log"));
        Hub = new HubClient(HubUrl, token);
        var spawnerEnv = new Dictionary<string, string>(spec.SpawnerEnvironment)
        {
            [Run.LabelVariable] = run.Id,
        };
        _environment = new Dictionary<string, string>
        {
            // A clean, known environment: Debian's python first, no pyenv shims (a machine's own python3 may not see Debian's packages).
            ["PATH"] = "/usr/sbin:/usr/bin:/sbin:/bin:/usr/local/bin",
            ["HOME"] = dir,
            ["LANG"] = "C.UTF-8",
            ["NODE_PATH"] = "/usr/share/nodejs", // configurable-http-proxy under a node that is not Debian's finds its modules here
            [Run.LabelVariable] = run.Id,
            ["KR_RUN_DIR"] = dir,
            ["KR_API_TOKEN"] = token,
            ["KR_BIND_URL"] = HubUrl.AbsoluteUri.TrimEnd('/'),
            ["KR_HUB_IP"] = "127.0.0.1",
            ["KR_HUB_PORT"] = _hubPort.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["KR_PROXY_API_PORT"] = _proxyApiPort.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["KR_PROXY_EXTERNAL"] = "1",
            ["KR_PROXY_TOKEN"] = proxyToken,
            ["CONFIGPROXY_AUTH_TOKEN"] = proxyToken,
            ["KR_SPAWNER"] = "local",
            // Route checks ride on the activity update: after a proxy restart routes return within this.
            ["KR_LAST_ACTIVITY_INTERVAL"] = "5",
            ["KR_CLEANUP_SERVERS"] = "0", // as in Zero to JupyterHub: a hub restart leaves servers running
            // Servers log at debug level: the relaunch after a restart names the kernel's connection file.
            ["KR_SPAWNER_DEBUG"] = "1",
            // Every spawn answers 202 at once and is followed through the progress stream.
            ["KR_SLOW_SPAWN_TIMEOUT"] = "0",
            ["KR_SPAWNER_ENV"] = JsonSerializer.Serialize(spawnerEnv),
            ["KR_STUDENT_PASSWORD"] = StudentPassword,
        };
        foreach (var (k, v) in spec.HubEnvironment)
        {
            _environment[k] = v;
        }
    }

    public TierName Tier => TierName.Process;
    public IReadOnlyDictionary<Type, string> Lacks => Missing;
    public Uri HubUrl { get; }
    public HubClient Hub { get; }
    public string HubVersion { get; private set; } = "";
    public LogTail HubLog { get; }
    public LogTail ProxyLog { get; }
    public string RunId => _run.Id;
    /// <summary>The hub API token of the harness service (random per run, never printed).</summary>
    public string Token { get; }
    /// <summary>The password every user logs in with on the hub's login page (random per run, never printed).</summary>
    public string StudentPassword { get; }
    public string Directory => _dir;
    public ProcessGroup? HubProcess => _hub;
    public ProcessGroup? ProxyProcess => _proxy;
    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, LogFileFollower> _serverLogs = new();

    /// <summary>The server's own log file (the spawner sends each server's output to logs/USER[-SERVER].log).</summary>
    public LogTail ServerLog(string user, string serverName = "")
    {
        var file = user + (string.IsNullOrEmpty(serverName) ? "" : "-" + serverName);
        return _serverLogs.GetOrAdd(file, f => new LogFileFollower(
            Path.Combine(_dir, "logs", f + ".log"), new LogTail($"server {f}"))).Tail;
    }

    internal static async Task<ProcessHub> StartAsync(ProcessHubBuilder spec, Run run, CancellationToken ct)
    {
        var dir = run.Folder("process-hub");
        var hub = new ProcessHub(spec, run, dir, NewToken(), NewToken());
        try
        {
            await hub.StartProxyAsync(ct);
            await hub.StartHubAsync(ct);
            return hub;
        }
        catch
        {
            await hub.DisposeAsync();
            throw;
        }
    }

    public Task<TierEvidence> CollectAsync(string user, string serverName, CancellationToken ct) =>
        ProcessFacts.CollectAsync(RunId, user, Path.Combine(_dir, "home", user), ct);

    /// <summary>Starts (or restarts) configurable-http-proxy and waits for its API line.</summary>
    public async Task StartProxyAsync(CancellationToken ct)
    {
        var from = ProxyLog.Count;
        _proxy = ProcessGroup.Start(_spec.Proxy,
        [
            "--ip", "127.0.0.1", "--port", _proxyPort.ToString(System.Globalization.CultureInfo.InvariantCulture),
            "--api-ip", "127.0.0.1", "--api-port", _proxyApiPort.ToString(System.Globalization.CultureInfo.InvariantCulture),
            "--default-target", $"http://127.0.0.1:{_hubPort}",
            "--error-target", $"http://127.0.0.1:{_hubPort}/hub/error",
        ], _dir, _environment, ProxyLog);
        await WaitForLineOrExitAsync(_proxy, ProxyLog, "configurable-http-proxy to serve its API", l => l.Contains("Proxy API at", StringComparison.Ordinal), from, ct);
    }

    /// <summary>Starts (or restarts) the hub and waits until it says it is running and its API answers.</summary>
    public async Task StartHubAsync(CancellationToken ct)
    {
        var from = HubLog.Count;
        _hub = ProcessGroup.Start(_spec.JupyterHub, ["-f", _spec.ConfigFile], _dir, _environment, HubLog);
        await WaitForLineOrExitAsync(_hub, HubLog, "JupyterHub to start", l => l.Contains("JupyterHub is now running", StringComparison.Ordinal), from, ct);
        HubVersion = await Hub.GetVersionAsync(ct);
    }

    /// <summary>The process tier's servers are launched the hub's one way: nothing to assign.</summary>
    public Task AssignLaunchAsync(string user, System.Text.Json.Nodes.JsonObject? userOptions, CancellationToken ct) => Task.CompletedTask;

    public KernelWatch WatchKernel(string user, string serverName, string kernelId, CancellationToken ct) => LocalKernelWatch.Start(kernelId, ct);

    public Task SignalKernelAsync(string user, string serverName, string kernelId, int signal, CancellationToken ct)
    {
        var pids = LocalKernelWatch.Find(kernelId);
        if (pids.Count == 0)
        {
            throw new HarnessException($"no process of kernel {kernelId} is running", "start the kernel first; it may have died already");
        }
        foreach (var pid in pids)
        {
            ProcessGroup.Kill(pid, signal);
        }
        return Task.CompletedTask;
    }

    public Task KillServerAsync(string user, string serverName, CancellationToken ct)
    {
        var servers = LabelledProcesses.All().Where(p => p.RunId == RunId).Select(p => p.Pid)
            .Where(pid => IsServerOf(pid, user, serverName)).ToList();
        if (servers.Count == 0)
        {
            throw new HarnessException($"{user}'s server process was not found", "spawn the server first");
        }
        foreach (var pid in servers)
        {
            ProcessGroup.Kill(pid, Signals.Kill);
        }
        return Task.CompletedTask;
    }

    public async Task RestartProxyAsync(CancellationToken ct)
    {
        await StopProxyAsync();
        await StartProxyAsync(ct);
    }

    public async Task RestartHubAsync(CancellationToken ct)
    {
        await StopHubAsync();
        await StartHubAsync(ct);
    }

    public async Task WriteUserFileAsync(string user, string relativePath, string content, CancellationToken ct)
    {
        var path = Path.Combine(_dir, "home", user, relativePath);
        System.IO.Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        await File.WriteAllTextAsync(path, content, ct);
    }

    private static bool IsServerOf(int pid, string user, string serverName)
    {
        var p = LocalProcess.Of(pid);
        return p.CommandLine.Contains("jupyterhub-singleuser", StringComparison.Ordinal)
            && p.Variable("JUPYTERHUB_USER") == user
            && (p.Variable("JUPYTERHUB_SERVER_NAME") ?? "") == serverName;
    }

    /// <summary>Stops the hub process only (servers and proxy keep running), as a hub restart does.</summary>
    public async Task StopHubAsync() => await (_hub?.StopAsync(TimeSpan.FromSeconds(10)) ?? Task.CompletedTask);

    public async Task StopProxyAsync() => await (_proxy?.StopAsync(TimeSpan.FromSeconds(5)) ?? Task.CompletedTask);

    private async Task WaitForLineOrExitAsync(ProcessGroup process, LogTail log, string awaited, Func<string, bool> match, int from, CancellationToken ct) =>
        await Deadline.RunAsync(awaited, _spec.StartTimeout, async t =>
        {
            var line = log.WaitForLineAsync(match, from, t);
            var done = await Task.WhenAny(line, process.Exited).WaitAsync(t);
            if (done == process.Exited)
            {
                throw new MissingPrerequisiteException(
                    $"{log.Name} exited with code {process.Exited.Result} before it was ready; cause: {CauseFinder.Find(log.LinesSince(from)) ?? "see log"}\n--- {log.Name} log (tail) ---\n{log.Tail(25)}",
                    $"read the {log.Name} log above; the full log is {log.FilePath}");
            }
        }, () => log.LinesSince(from) is [.., var last] ? last : "no output", ct, () => log.Tail(25));

    private static string NewToken() => Secrets.Register(Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(32)));

    public async ValueTask DisposeAsync()
    {
        if (_hub is not null)
        {
            await _hub.DisposeAsync();
        }
        // The hub stops its servers on a clean shutdown; whatever did not stop carries the run's label.
        LabelledProcesses.Kill(_run.Id);
        if (_proxy is not null)
        {
            await _proxy.DisposeAsync();
        }
        Hub.Dispose();
        foreach (var follower in _serverLogs.Values)
        {
            follower.Dispose();
        }
        HubLog.Dispose();
        ProxyLog.Dispose();
    }
}
