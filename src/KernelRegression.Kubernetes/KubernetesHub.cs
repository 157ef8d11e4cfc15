using System.Collections.Concurrent;
using System.Text;
using k8s;
using KernelRegression.Host;
using KernelRegression.Jupyter;
using KernelRegression.Kubernetes.Chart;
using KernelRegression.Kubernetes.Pods;
using KernelRegression.Logs;
using KernelRegression.Tiers;

namespace KernelRegression.Kubernetes;

/// <summary>
/// JupyterHub from the Zero to JupyterHub chart on a kind cluster, as the checks see every tier. A
/// user's pod is found the way the cell's KubeSpawner named it (<see cref="UserPods"/>); its log is
/// followed across container restarts; its evidence is the pod's state, events and process tree; a
/// kernel's processes are watched from inside the pod (<see cref="PodKernelWatch"/>). The incident's control
/// is a second profile of the same chart values (<see cref="InitControlProfile"/>).
/// </summary>
public sealed class KubernetesHub : IHubDeployment, IKernelSignals, IServerKill, IPodDeletion, IHomeFiles, IKernelProcessWatch, IEvidenceSource,
    IInitControl
{
    /// <summary>What the kind tier cannot do (yet), and why.</summary>
    public static IReadOnlyDictionary<Type, string> Missing { get; } = new Dictionary<Type, string>
    {
        [typeof(IProxyRestart)] = "not wired on the kind tier yet: delete the proxy pod (component=proxy) by hand",
        [typeof(IHubRestart)] = "not wired on the kind tier yet: delete the hub pod (component=hub) by hand",
        [typeof(IServerPause)] = "Kubernetes has no pause for a running pod",
        [typeof(INetworkPartition)] = "not wired on the kind tier yet (a NetworkPolicy would do it)",
    };

    private readonly ConcurrentDictionary<string, PodLogFollower> _userLogs = new();
    private readonly PodLogFollower _hubLog;
    private readonly Func<ValueTask> _teardown;
    private readonly Action<string> _log;

    internal KubernetesHub(TierName tier, string runId, Uri hubUrl, string token, IKubernetes api, string hubVersion,
        KubeSpawnerNaming naming, Func<ValueTask> teardown, Action<string>? log = null)
    {
        _log = log ?? (l => Console.Error.WriteLine($"[kr kind] {l}"));
        Tier = tier;
        RunId = runId;
        HubUrl = hubUrl;
        Api = api;
        HubVersion = hubVersion;
        Hub = new HubClient(hubUrl, Secrets.Register(token));
        _teardown = teardown;
        Pods = new UserPods(api, Namespace, naming, Hub.GetUserAsync);
        var hubPod = new PodTarget("hub pod", "component=hub", async ct =>
            (await api.CoreV1.ListNamespacedPodAsync(Namespace, labelSelector: "component=hub", cancellationToken: ct)).Items
                .OrderBy(p => p.Metadata.CreationTimestamp).LastOrDefault());
        _hubLog = new PodLogFollower(api, Namespace, hubPod, "hub", new LogTail("hub pod"));
    }

    public const string Namespace = Plan.KindPlan.Namespace;

    public TierName Tier { get; }
    public Uri HubUrl { get; }
    public HubClient Hub { get; }
    public string HubVersion { get; }
    public LogTail HubLog => _hubLog.Tail;
    public string RunId { get; }
    public IKubernetes Api { get; }
    /// <summary>Finds users' pods by the hub's state or the cell's KubeSpawner labels.</summary>
    public UserPods Pods { get; }

    public IReadOnlyDictionary<Type, string> Lacks => Missing;

    /// <summary>The user pod's "notebook" container log, followed across container restarts and pod replacements.</summary>
    public LogTail ServerLog(string user, string serverName = "") =>
        _userLogs.GetOrAdd(user + "/" + serverName, _ =>
            new PodLogFollower(Api, Namespace, Pods.Target(user, serverName), PodEvidence.NotebookContainer, new LogTail($"pod of {user}"))).Tail;

    /// <summary>Pods, container states, events and log tails of the release's namespace: attach to a failed cell.</summary>
    public Task<string> EvidenceAsync(CancellationToken ct) => NamespaceEvidence.CollectAsync(Api, Namespace, ct);

    /// <summary>The user's pod (phase, container runs, events, process tree), and the namespace's state for the evidence folder.</summary>
    public async Task<TierEvidence> CollectAsync(string user, string serverName, CancellationToken ct)
    {
        var cluster = new Attachment("cluster.txt", await EvidenceAsync(ct));
        var found = await Pods.FindAsync(user, serverName, ct);
        if (found is null)
        {
            return new TierEvidence
            {
                Container = ContainerState.Missing,
                Extra = new Dictionary<string, string> { ["pod.found_by"] = $"none: no pod named in the hub's state nor labelled {Pods.Naming.Selector(user, serverName)}" },
                Attachments = [cluster],
            };
        }
        var pod = (await PodEvidence.CollectAsync(Api, Namespace, found, ct)).ToTierEvidence();
        return pod with { Attachments = [.. pod.Attachments, cluster] };
    }

    public Task DeletePodAsync(string user, string serverName, CancellationToken ct) => DeleteUserPodAsync(user, serverName, ct);

    /// <summary>Pod-level fault: deletes a user's pod (KubeSpawner sees the server gone).</summary>
    public async Task DeleteUserPodAsync(string user, string serverName, CancellationToken ct)
    {
        var found = await Pods.FindAsync(user, serverName, ct)
            ?? throw new HarnessException($"{user} has no pod to delete (looked for {Pods.Naming.Selector(user, serverName)})", "spawn the user's server first");
        await Api.CoreV1.DeleteNamespacedPodAsync(found.Pod.Metadata.Name, Namespace, gracePeriodSeconds: 0, cancellationToken: ct);
    }

    /// <summary>Deleting the user's pod is this tier's killed server: what an eviction or a lost node does to it.</summary>
    public Task KillServerAsync(string user, string serverName, CancellationToken ct) => DeleteUserPodAsync(user, serverName, ct);

    /// <summary>The kernel watch script in the user's notebook container, through an exec open until the watch is disposed.</summary>
    public KernelWatch WatchKernel(string user, string serverName, string kernelId, CancellationToken ct) =>
        PodKernelWatch.Start(Api, Namespace, Pods, user, serverName, kernelId, _log, ct);

    public async Task SignalKernelAsync(string user, string serverName, string kernelId, int signal, CancellationToken ct)
    {
        var (exit, output) = await ExecInUserPodAsync(user, serverName, ["sh", "-c", KernelProcesses.SignalScript(kernelId, signal)], ct);
        if (exit != 0)
        {
            throw new HarnessException($"no process of kernel {kernelId} in {user}'s pod (exit {exit}): {output.Trim()}",
                "start the kernel first; it may have died already");
        }
    }

    /// <summary>A scenario's file in the user's home, written through exec (base64, so any content survives the shell).</summary>
    public async Task WriteUserFileAsync(string user, string relativePath, string content, CancellationToken ct)
    {
        var b64 = Convert.ToBase64String(Encoding.UTF8.GetBytes(content));
        var path = "$HOME/" + relativePath.TrimStart('/');
        var (exit, output) = await ExecInUserPodAsync(user, "",
            ["sh", "-c", $"mkdir -p \"$(dirname \"{path}\")\" && echo '{b64}' | base64 -d > \"{path}\""], ct);
        if (exit != 0)
        {
            throw new HarnessException($"writing {relativePath} into {user}'s home failed (exit {exit}): {output.Trim()}", "the image needs sh, mkdir and base64 (coreutils)");
        }
    }

    public string InitAsPid1 => InitControlProfile.InitAsPid1;

    /// <summary>
    /// The control's spawn: another student on this hub asking for the control's profile, the cell's pod
    /// with a shared process namespace (the chart values carry it beside the cell's own launch).
    /// </summary>
    public CellDeployment? WithInitAsPid1(CellDeployment cell) =>
        cell.Launch is { } launch && InitControlProfile.Offered(launch)
            ? cell with { Launch = launch with { Init = true }, UserOptions = InitControlProfile.UserOptions() }
            : null;

    /// <summary>A command in the user's running notebook container (e.g. a kernel's kill script).</summary>
    public async Task<(int ExitCode, string Output)> ExecInUserPodAsync(string user, string serverName, IReadOnlyList<string> command, CancellationToken ct)
    {
        var found = await Pods.FindAsync(user, serverName, ct);
        if (found?.Pod.Status?.Phase != "Running")
        {
            throw new HarnessException($"{user} has no running pod to exec in ({found?.Pod.Metadata.Name ?? "none found"}, phase {found?.Pod.Status?.Phase ?? "-"})",
                "spawn the user's server first");
        }
        return await PodExec.RunAsync(Api, Namespace, found.Pod.Metadata.Name, PodEvidence.NotebookContainer, command, Deadline.Of(30), ct);
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var f in _userLogs.Values)
        {
            f.Dispose();
        }
        _hubLog.Dispose();
        Hub.Dispose();
        await _teardown();
        Api.Dispose();
    }
}
