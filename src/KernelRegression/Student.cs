using System.Security.Cryptography;
using System.Text.Json.Nodes;
using KernelRegression.Evidence;
using KernelRegression.Logs;
using KernelRegression.Jupyter;
using KernelRegression.Tiers;

namespace KernelRegression;

/// <summary>
/// What a student does: a user of their own, a spawned server, a token, kernels. Unique per test,
/// so parallel checks never share a name; removed (server stopped, user deleted) at dispose.
/// </summary>
public sealed class Student : IAsyncDisposable
{
    private readonly List<KernelConnection> _connections = [];
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
    public IReadOnlyList<SpawnProgress> Progress { get; private set; } = [];
    public StepTimings Timings { get; } = new();

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
                Progress = ready ? [] : await hub.WaitForServerReadyAsync(Name, ServerName, Deadline.Of(90), () => Deployment.HubLog.Tail(25), ct);
            });
        }
        catch (Exception e) when (e is SpawnFailedException or JupyterApiException { StatusCode: 500 })
        {
            // A spawn that fails fast is a 500 on the POST; a slower one a failed progress event. Either
            // way the server's own last words (its log, or the container output the spawner logged) say why.
            // Only this user's lines of the shared hub log: under a crowd, others' failures are there too.
            var lines = Deployment.KernelLog(Name, ServerName).LinesSince(0).Concat(OwnHubLines(hubFrom)).ToList();
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
        var log = Deployment.KernelLog(Name, ServerName);
        var logFrom = log.Count;
        var model = await Timings.TimeAsync("kernel-start", () => Server.StartKernelAsync(kernelName, ct));
        var connection = await Timings.TimeAsync("kernel-connect", () => KernelConnection.OpenAsync(Server, model.Id, log, logFrom, ct));
        _connections.Add(connection);
        Deployment.WatchKernel(model.Id, connection, _watching.Token);
        await Timings.TimeAsync("kernel-ready", () => connection.KernelInfoAsync(Deadline.Of(30), ct));
        return connection;
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
        var log = Deployment.KernelLog(Name, ServerName);
        var connection = await Timings.TimeAsync("kernel-connect", () => KernelConnection.OpenAsync(Server, kernelId, log, log.Count, ct));
        _connections.Add(connection);
        Deployment.WatchKernel(kernelId, connection, _watching.Token);
        await Timings.TimeAsync("kernel-ready", () => connection.KernelInfoAsync(Deadline.Of(30), ct));
        return connection;
    }

    public async ValueTask DisposeAsync()
    {
        await _watching.CancelAsync();
        _watching.Dispose();
        foreach (var c in _connections)
        {
            await c.DisposeAsync();
        }
        Server?.Dispose();
        using var cts = new CancellationTokenSource(Deadline.Of(20));
        try
        {
            await Deployment.Hub.StopServerAsync(Name, ServerName, cts.Token);
            await Deployment.Hub.DeleteUserAsync(Name, cts.Token);
        }
        catch (HarnessException)
        {
            // The deployment may be gone already (a fault, or teardown); the run's sweep removes the rest.
        }
        catch (OperationCanceledException)
        {
        }
    }
}
