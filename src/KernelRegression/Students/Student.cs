using System.Security.Cryptography;
using System.Text.Json.Nodes;
using System.Collections.Concurrent;
using System.Text.RegularExpressions;
using KernelRegression.Host;
using KernelRegression.Jupyter;
using KernelRegression.Logs;
using KernelRegression.Tiers;

namespace KernelRegression.Students;

/// <summary>
/// What a student does: a user of their own, a spawned server, a token, kernels. Unique per test,
/// so parallel checks never share a name; removed (server stopped, user deleted) at dispose.
/// </summary>
public sealed class Student : IAsyncDisposable
{
    private readonly List<KernelConnection> _connections = [];
    private readonly ConcurrentDictionary<string, KernelWatch> _watches = new();
    private readonly CancellationTokenSource _watching = new();

    private Student(IHubDeployment deployment, string name, string serverName, JsonObject? userOptions)
    {
        Deployment = deployment;
        Name = name;
        ServerName = serverName;
        UserOptions = userOptions;
    }

    /// <summary>What the spawn asks for (on the docker tier: image and launch profile), as a profile form would.</summary>
    public JsonObject? UserOptions { get; }

    public IHubDeployment Deployment { get; }
    public string Name { get; }
    public string ServerName { get; }
    public ServerClient Server { get; private set; } = null!;
    /// <summary>The spawn progress events the hub streamed (none when it answered the spawn as ready at once).</summary>
    public IReadOnlyList<SpawnProgress> Progress { get; private set; } = [];
    public StepTimings Timings { get; } = new();

    /// <summary>Every kernel process the tier let the harness watch, per kernel, oldest first.</summary>
    public IReadOnlyList<KernelProcessSeen> KernelProcesses => [.. _watches.Values.SelectMany(w => w.Seen).OrderBy(s => s.SeenAfter)];

    /// <summary>After a failed spawn: the server's output and this user's hub log lines (the spawner logs a dead container's output there).</summary>
    public IReadOnlyList<string> SpawnLog { get; private set; } = [];

    public static string NewName(string prefix = "student") =>
        $"{prefix}-{Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(4))}";

    /// <summary>A student who has not spawned yet: call <see cref="SpawnServerAsync"/>; dispose either way.</summary>
    public static Student Create(IHubDeployment deployment, string? name = null, string serverName = "", JsonObject? userOptions = null) =>
        new(deployment, name ?? NewName(), serverName, userOptions);

    /// <summary>Creates the user, spawns the server (default or named) and mints the user's token.</summary>
    public static async Task<Student> SpawnAsync(IHubDeployment deployment, CancellationToken ct, string? name = null, string serverName = "", JsonObject? userOptions = null)
    {
        var student = Create(deployment, name, serverName, userOptions);
        try
        {
            await student.SpawnServerAsync(ct);
            return student;
        }
        catch
        {
            await student.DisposeAsync();
            throw;
        }
    }

    /// <summary>Spawns (again) the server; used at first and after a fault killed it.</summary>
    public async Task SpawnServerAsync(CancellationToken ct)
    {
        var hub = Deployment.Hub;
        await hub.CreateUserAsync(Name, ct);
        var hubFrom = Deployment.HubLog.Count;
        try
        {
            await Timings.TimeAsync("spawn", async () =>
            {
                var ready = await hub.StartServerAsync(Name, ServerName, UserOptions?.DeepClone() as JsonObject, ct);
                // The hub's own timeouts say when a spawn failed; a slow one is judged by its step budget (Latency/).
                Progress = ready ? [] : await hub.WaitForServerReadyAsync(Name, ServerName, Deadline.Of(180), () => Deployment.HubLog.Tail(25), ct);
            });
        }
        catch (Exception e) when (e is SpawnFailedException or JupyterApiException { StatusCode: 500 })
        {
            // A spawn that fails fast is a 500 on the POST; a slower one a failed progress event. Either
            // way the server's own last words (its log, or the container output the spawner logged) say why.
            // Only this user's lines of the shared hub log: under a crowd, others' failures are there too.
            await HubLogCaughtUpAsync(hubFrom, ct);
            var lines = Deployment.ServerLog(Name, ServerName).LinesSince(0).Concat(OwnHubLines(hubFrom)).ToList();
            SpawnLog = lines;
            var message = e is SpawnFailedException s ? s.HubMessage : ((JupyterApiException)e).What;
            throw new SpawnFailedException(Name, message, Deployment.HubLog.Tail(25), CauseFinder.Find(lines));
        }
        var token = Secrets.Register(await hub.CreateUserTokenAsync(Name, "kernelregression", TimeSpan.FromHours(2), null, ct));
        var path = string.IsNullOrEmpty(ServerName) ? $"user/{Name}/" : $"user/{Name}/{ServerName}/";
        Server?.Dispose();
        Server = new ServerClient(new Uri(Deployment.HubUrl, path), token, Name);
    }

    /// <summary>POST a kernel and open its channels; returns once kernel_info_reply and idle are in.</summary>
    public async Task<KernelConnection> StartKernelAsync(CancellationToken ct, string kernelName = "python3")
    {
        var log = Deployment.ServerLog(Name, ServerName);
        var logFrom = log.Count;
        var model = await Timings.TimeAsync("kernel-start", () => Server.StartKernelAsync(kernelName, ct));
        // Watched from the moment it exists: a kernel that dies at start dies before its socket opens.
        var watch = Watch(model.Id);
        try
        {
            return await ConnectAsync(model.Id, log, logFrom, watch, diedBefore: _ => true, ct);
        }
        catch (KernelDiedException died) when (watch is not null && PortRace.Lost(died.Cause))
        {
            return await FollowRelaunchAsync(model.Id, log, watch, died, ct);
        }
    }

    /// <summary>
    /// The kernel lost the race for its ports (<see cref="PortRace"/>): the server's restarter relaunches it
    /// on new ports, and a frontend follows with a new connection, as JupyterLab does. Once: a relaunch
    /// that dies too, or never comes, is the death it is.
    /// </summary>
    private async Task<KernelConnection> FollowRelaunchAsync(string kernelId, LogTail log, KernelWatch watch, KernelDiedException died, CancellationToken ct)
    {
        var lost = watch.Seen.Select(s => s.Pid).ToHashSet();
        var logFrom = log.Count;
        try
        {
            await Timings.TimeAsync("kernel-relaunch", () => watch.NextProcessAsync(lost, Deadline.Of(30), ct));
        }
        catch (TimeoutException)
        {
            throw died;
        }
        var kernel = await ConnectAsync(kernelId, log, logFrom, watch, diedBefore: s => !lost.Contains(s.Pid), ct);
        kernel.RelaunchedAtStart = $"{died.Cause} ({died.After.TotalSeconds:0.0} s after start; {PortRace.Why})";
        kernel.Timeline.Add("!", "life", "relaunched", "", null, kernel.RelaunchedAtStart);
        return kernel;
    }

    private KernelWatch? Watch(string kernelId) =>
        Deployment.Get<IKernelProcessWatch>() is { } tier
            ? _watches.GetOrAdd(kernelId, id => tier.WatchKernel(Name, ServerName, id, _watching.Token))
            : null;

    /// <param name="diedBefore">Which processes of the kernel that exited before its socket opened died at start (all, for a new kernel).</param>
    private async Task<KernelConnection> ConnectAsync(string kernelId, LogTail log, int logFrom, KernelWatch? watch, Func<KernelProcessSeen, bool> diedBefore, CancellationToken ct)
    {
        var connection = await Timings.TimeAsync("kernel-connect", () => KernelConnection.OpenAsync(Server, kernelId, log, logFrom, ct,
            attach: c => Attach(c, watch, diedBefore)));
        _connections.Add(connection);
        await Timings.TimeAsync("kernel-ready", () => connection.KernelInfoAsync(Deadline.Of(30), ct));
        return connection;
    }

    /// <summary>Tells the connection each time the watch sees one of its kernel's processes appear or exit.</summary>
    private static void Attach(KernelConnection connection, KernelWatch? watch, Func<KernelProcessSeen, bool> diedBefore)
    {
        if (watch is null)
        {
            return;
        }
        watch.Found += s => connection.ReportKernelProcessFound(s.Pid);
        watch.Exited += s => connection.ReportKernelProcessExit(s.Pid, s.ToString());
        if (watch.Running is { } running)
        {
            connection.ReportKernelProcessFound(running.Pid);
        }
        foreach (var dead in watch.Seen.Where(s => s.Lived is not null && diedBefore(s)))
        {
            connection.ReportKernelProcessExit(dead.Pid, dead.ToString());
        }
    }

    /// <summary>
    /// The hub answers the spawn before the follow of its log has read what it wrote just before (the
    /// dead container's output): a cold, loaded machine lost the cause this way. The hub's access-log
    /// line for this spawn's failing request (a 4xx/5xx POST, or the progress stream's GET) is written
    /// last, so once it is in, so is the rest. Bounded: a hub that logs no such line costs a few seconds.
    /// </summary>
    private async Task HubLogCaughtUpAsync(int from, CancellationToken ct)
    {
        if (Deployment.HubLog.Count == 0)
        {
            return; // a hub whose log the harness cannot read (an existing hub)
        }
        var server = string.IsNullOrEmpty(ServerName) ? "server" : "servers/" + ServerName;
        var path = $"/hub/api/users/{Regex.Escape(Name)}/{Regex.Escape(server)}";
        var request = new Regex($@"\] (?:[45]\d\d POST {path}\b|\d{{3}} GET {path}/progress\b)");
        using var grace = CancellationTokenSource.CreateLinkedTokenSource(ct);
        grace.CancelAfter(Deadline.Of(5));
        try
        {
            await Deployment.HubLog.WaitForLineAsync(request.IsMatch, from, grace.Token);
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
            // Judged from what has arrived.
        }
    }

    /// <summary>
    /// This user's lines of the shared hub log since a point: a log record that names the user, with its
    /// continuation lines (a record starts with "[" in JupyterHub's format; the spawner's container
    /// output follows on lines of its own).
    /// </summary>
    private IEnumerable<string> OwnHubLines(int from)
    {
        var mine = false;
        foreach (var line in Deployment.HubLog.LinesSince(from))
        {
            mine = line.StartsWith('[') ? line.Contains(Name, StringComparison.Ordinal) : mine;
            if (mine)
            {
                yield return line;
            }
        }
    }

    /// <summary>A fresh channels connection to a kernel that already runs (what a browser does after a restart).</summary>
    public async Task<KernelConnection> ConnectKernelAsync(string kernelId, CancellationToken ct)
    {
        var log = Deployment.ServerLog(Name, ServerName);
        return await ConnectAsync(kernelId, log, log.Count, Watch(kernelId), diedBefore: _ => false, ct);
    }

    public async ValueTask DisposeAsync()
    {
        await _watching.CancelAsync();
        foreach (var w in _watches.Values)
        {
            w.Dispose();
        }
        _watching.Dispose();
        foreach (var c in _connections)
        {
            await c.DisposeAsync();
        }
        Server?.Dispose();
        using var cts = new CancellationTokenSource(Deadline.Of(20));
        try
        {
            await Timings.TimeAsync("server-stop", () => Deployment.Hub.StopServerAsync(Name, ServerName, cts.Token));
            await Deployment.Hub.DeleteUserAsync(Name, cts.Token);
        }
        catch (ActionableException)
        {
            // The deployment may be gone already (a fault, or teardown); the run's sweep removes the rest.
        }
        catch (OperationCanceledException)
        {
        }
    }
}
