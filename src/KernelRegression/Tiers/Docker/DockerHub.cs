using System.Collections.Concurrent;
using System.Security.Cryptography;
using DotNet.Testcontainers.Builders;
using DotNet.Testcontainers.Configurations;
using DotNet.Testcontainers.Containers;
using DotNet.Testcontainers.Networks;
using KernelRegression.Host;
using KernelRegression.Jupyter;
using KernelRegression.Logs;
using KernelRegression.Matrix;
using KernelRegression.Images;
using KernelRegression.Docker;

namespace KernelRegression.Tiers.Docker;

/// <summary>
/// A JupyterHub of one Debian suite in a container (Testcontainers), on a network of its own,
/// spawning each user's single-user server as a container the way KubeSpawner launches a pod
/// (fixtures/hub/kr_container_spawner.py over the Docker socket). The image and launch profile of a
/// spawn travel in the spawn's user_options, as KubeSpawner's profile_list does.
/// </summary>
public sealed class DockerHub : IHubDeployment, IKernelSignals, IServerKill, IProxyRestart, IHubRestart, IServerPause, INetworkPartition,
    IHomeFiles, IKernelProcessWatch, IEvidenceSource, IStudentLogin, IInitControl
{
    /// <summary>What the docker tier cannot do, and why.</summary>
    public static IReadOnlyDictionary<Type, string> Missing { get; } = new Dictionary<Type, string>
    {
        [typeof(IPodDeletion)] = "the docker tier has containers, not pods",
    };

    private const string HubLabel = "org.kernelregression.hub";
    private readonly INetwork _network;
    private readonly IContainer _container;
    private readonly ConcurrentDictionary<string, ContainerLog> _serverLogs = new();
    private readonly List<ContainerLog> _hubLogsAfterRestart = [];
    private readonly ImageStore _images;

    private DockerHub(HubSpec spec, Run run, INetwork network, IContainer container, int port, LogTail log, string token, string studentPassword, ImageStore images)
    {
        StudentPassword = studentPassword;
        Spec = spec;
        RunId = run.Id;
        _network = network;
        _container = container;
        HubLog = log;
        Token = token;
        _images = images;
        HubUrl = new Uri($"http://127.0.0.1:{port}/");
        Hub = new HubClient(HubUrl, token);
    }

    public HubSpec Spec { get; }
    public TierName Tier => TierName.Docker;
    public Uri HubUrl { get; }
    public HubClient Hub { get; }
    public string HubVersion { get; private set; } = "";
    public LogTail HubLog { get; }
    public string RunId { get; }
    public string Token { get; }
    /// <summary>The password every user logs in with on the hub's login page (random per run, never printed).</summary>
    public string StudentPassword { get; }
    public IContainer Container => _container;
    public IReadOnlyDictionary<Type, string> Lacks => Missing;

    /// <summary>The container name the spawner gives a user's server.</summary>
    public string ServerContainer(string user, string serverName = "") =>
        $"kr-{RunId}-{user}" + (string.IsNullOrEmpty(serverName) ? "" : "-" + serverName);

    public LogTail ServerLog(string user, string serverName = "") =>
        _serverLogs.GetOrAdd(ServerContainer(user, serverName), c => new ContainerLog(c, new LogTail($"container {c}"))).Tail;

    /// <summary>A local engine's container processes are host processes: the kernel is watched like on the process tier.</summary>
    public KernelWatch WatchKernel(string user, string serverName, string kernelId, CancellationToken ct) => LocalKernelWatch.Start(kernelId, ct);

    public Task<TierEvidence> CollectAsync(string user, string serverName, CancellationToken ct) =>
        ContainerFacts.CollectAsync(ServerContainer(user, serverName), ct);

    public async Task SignalKernelAsync(string user, string serverName, string kernelId, int signal, CancellationToken ct) =>
        await ExecAsync(ServerContainer(user, serverName), "0", KernelProcesses.SignalScript(kernelId, signal), $"signal {signal} to kernel {kernelId}", ct);

    /// <summary>The server is the container's main process: killing the container is what an OOM kill or a lost node does to it.</summary>
    public async Task KillServerAsync(string user, string serverName, CancellationToken ct) =>
        await DockerEngine.KillAsync(ServerContainer(user, serverName), ct);

    /// <summary>The hub runs its proxy as a child (should_start) and restarts it when it dies, as it checks every 5 s.</summary>
    public async Task RestartProxyAsync(CancellationToken ct) =>
        await ExecAsync(_container.Name, "0", "pkill -KILL -f '[c]onfigurable-http-proxy'", "kill the proxy", ct);

    /// <summary>
    /// `docker restart` of the hub container: JupyterHub (PID 1) and its proxy child stop and start again;
    /// the servers, containers of their own, keep running, and the hub finds them from its database (in
    /// the container's filesystem, which a restart keeps) through the spawner's state and poll.
    /// </summary>
    public async Task RestartHubAsync(CancellationToken ct)
    {
        var from = HubLog.Count;
        var since = DateTimeOffset.UtcNow;
        await DockerEngine.RestartAsync(_container.Name, TimeSpan.FromSeconds(10), ct);
        // Testcontainers' log stream ended with the old process: follow the new one's output.
        lock (_hubLogsAfterRestart)
        {
            _hubLogsAfterRestart.Add(new ContainerLog(_container.Name, HubLog, since));
        }
        await Deadline.RunAsync("the restarted hub to log that it is running", Deadline.Of(60),
            t => HubLog.WaitForLineAsync(l => l.Contains("JupyterHub is now running", StringComparison.Ordinal), from, t),
            () => HubLog.Tail(15), ct);
    }

    public async Task PauseServerAsync(string user, string serverName, bool pause, CancellationToken ct) =>
        await DockerEngine.PauseAsync(ServerContainer(user, serverName), pause, ct);

    /// <summary>
    /// Drops every packet between the hub container (hub and proxy) and the user's server, in both
    /// directions, or removes that rule again. iptables runs in a short-lived helper container inside
    /// the server's network namespace (as Pumba does), so the server keeps its address and its open
    /// connections: a cut looks like a lost link, not a restart. `docker network disconnect` would
    /// instead give the server a new address on reconnect, which the proxy's route does not know.
    /// </summary>
    public async Task PartitionServerAsync(string user, string serverName, bool cut, CancellationToken ct)
    {
        var tools = await _images.NetToolsAsync(ct);
        var hubIp = await DockerEngine.AddressAsync(_container.Name, _network.Name, ct);
        var op = cut ? "-I" : "-D";
        await DockerEngine.RunToEndAsync(new global::Docker.DotNet.Models.CreateContainerParameters
        {
            Image = tools,
            Cmd = ["sh", "-c", $"iptables -w {op} INPUT -s {hubIp} -j DROP && iptables -w {op} OUTPUT -d {hubIp} -j DROP"],
            HostConfig = new global::Docker.DotNet.Models.HostConfig { NetworkMode = "container:" + ServerContainer(user, serverName), CapAdd = ["NET_ADMIN"] },
        }, RunId, $"{(cut ? "cutting" : "healing")} the network between the hub ({hubIp}) and {user}'s server", _ => { }, ct);
    }

    public async Task WriteUserFileAsync(string user, string relativePath, string content, CancellationToken ct)
    {
        var path = "$HOME/" + relativePath;
        await ExecAsync(ServerContainer(user), null, $"mkdir -p \"$(dirname \"{path}\")\" && cat > \"{path}\"", $"writing {relativePath} into {user}'s home", ct,
            System.Text.Encoding.UTF8.GetBytes(content));
    }

    /// <summary>A shell script run in the container (as <paramref name="uid"/>, else its user); a non-zero exit is a harness error with its output.</summary>
    internal static async Task ExecAsync(string container, string? uid, string script, string what, CancellationToken ct, byte[]? stdin = null)
    {
        var r = await DockerEngine.ExecAsync(container, ["sh", "-c", script], ct, uid, stdin);
        if (r.ExitCode != 0)
        {
            var output = (r.Stdout + r.Stderr).Trim();
            throw new HarnessFaultException($"{what} failed (exit {r.ExitCode}): {output.Split('\n')[^1].Trim()}\n{output}", "read the output above");
        }
    }

    public Task AssignLaunchAsync(string user, System.Text.Json.Nodes.JsonObject? userOptions, CancellationToken ct) =>
        userOptions is null ? Task.CompletedTask : AssignedLaunch.AssignAsync(this, user, userOptions, ct);

    /// <summary>The user_options of a spawn that launches <paramref name="image"/> with <paramref name="profile"/>.</summary>
    /// <param name="resolveImage">Turns an init container's image, as the launch names it, into the tag to run.</param>
    public System.Text.Json.Nodes.JsonObject UserOptions(string image, LaunchProfile profile, Func<string, string>? resolveImage = null)
    {
        var launch = profile.ToSpawnerJson(image, resolveImage);
        ((System.Text.Json.Nodes.JsonObject)launch["labels"]!)[HubLabel] = Spec.Name;
        return new System.Text.Json.Nodes.JsonObject { ["launch_profile"] = launch };
    }

    public string InitAsPid1 => "docker --init";

    /// <summary>The same user_options with Docker's --init (the spawner's launch_profile.init): the server becomes docker-init's child.</summary>
    public CellDeployment? WithInitAsPid1(CellDeployment cell)
    {
        if (cell.Launch is not { Init: false } launch || cell.UserOptions?.DeepClone() is not System.Text.Json.Nodes.JsonObject options
            || options["launch_profile"] is not System.Text.Json.Nodes.JsonObject profile)
        {
            return null;
        }
        profile["init"] = true;
        return cell with { Launch = launch with { Init = true }, UserOptions = options };
    }

    public static async Task<DockerHub> StartAsync(HubSpec spec, Run run, ImageStore images, CancellationToken ct)
    {
        await DockerEngine.RequireAsync(ct);
        await DockerEngine.SweepStaleOnceAsync();
        var image = await images.HubAsync(spec, ct);
        var name = $"kr-{run.Id}-hub-{spec.Name}";
        var token = Secrets.Register(Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(32)));
        var password = Secrets.Register(Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16)));
        var log = new LogTail($"hub {spec.Name}", Path.Combine(run.Folder("docker"), $"hub-{spec.Name}.log"));
        var network = new NetworkBuilder()
            .WithLogger(TestcontainersLog.Logger)
            .WithName(name + "-net")
            .WithLabel(DockerEngine.RunLabel, run.Id).WithLabel(DockerEngine.OwnerLabel, DockerEngine.Owner)
            .Build();
        await network.CreateAsync(ct);
        var sink = new LogTailStream(log);
        // A fixed host port (not a random one): a restarted hub container must come back where the harness looks.
        var port = FreePort.Next();
        var container = new ContainerBuilder(image)
            .WithLogger(TestcontainersLog.Logger)
            .WithName(name)
            .WithNetwork(network)
            .WithNetworkAliases(name)
            .WithPortBinding(port, 8000)
            .WithBindMount("/var/run/docker.sock", "/var/run/docker.sock")
            .WithLabel(DockerEngine.RunLabel, run.Id).WithLabel(DockerEngine.OwnerLabel, DockerEngine.Owner).WithLabel(HubLabel, spec.Name)
            .WithEnvironment(new Dictionary<string, string>
            {
                ["KR_API_TOKEN"] = token,
                ["KR_STUDENT_PASSWORD"] = password,
                ["KR_RUN_ID"] = run.Id,
                ["KR_SPAWNER"] = "container",
                ["KR_DOCKER_NETWORK"] = name + "-net",
                ["KR_HUB_CONNECT_URL"] = $"http://{name}:8081",
                ["KR_CLEANUP_SERVERS"] = "0",
                // Servers log at debug level: the relaunch after a restart names the kernel's connection file.
                ["KR_SPAWNER_DEBUG"] = "1",
                // Zero to JupyterHub-like patience (its start timeout is 300 s): containers share 2 cores here.
                ["KR_START_TIMEOUT"] = "120",
                // A slow server is judged by the spawn's step budget (Latency/), not cut off by the hub: wait well past it.
                ["KR_HTTP_TIMEOUT"] = "180",
            })
            .WithEnvironment(spec.Env) // the hub's own settings a matrix hub or a scenario gives (e.g. KR_COOKIE_OPTIONS)
            .WithOutputConsumer(Consume.RedirectStdoutAndStderrToStream(sink, sink))
            .WithWaitStrategy(Wait.ForUnixContainer().UntilMessageIsLogged("JupyterHub is now running", w => w.WithTimeout(Deadline.Of(60))))
            .WithCleanUp(false) // Ryuk cannot be pulled here: removal is ours, by label (and the run's reaper)
            .Build();
        var hub = default(DockerHub);
        try
        {
            await container.StartAsync(ct);
            hub = new DockerHub(spec, run, network, container, port, log, token, password, images);
            hub.HubVersion = await hub.Hub.GetVersionAsync(ct);
            return hub;
        }
        catch (Exception e) when (e is not ActionableException && hub is null)
        {
            var tail = log.Tail(25);
            await container.DisposeAsync();
            await network.DisposeAsync();
            throw new HarnessFaultException($"the {spec.Name} hub container ({image}) did not start: {e.Message}\n--- hub log (tail) ---\n{tail}",
                "read the hub log above; `docker run --rm -it IMAGE jupyterhub --version` checks the image");
        }
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var log in _serverLogs.Values.Concat(_hubLogsAfterRestart))
        {
            log.Dispose();
        }
        // Users' servers first (they hold the network), then the hub, then the network.
        await DockerEngine.RemoveLabelledAsync([$"{DockerEngine.RunLabel}={RunId}", $"{HubLabel}={Spec.Name}"], CancellationToken.None);
        await _container.DisposeAsync();
        await _network.DisposeAsync();
        Hub.Dispose();
        HubLog.Dispose();
    }
}
