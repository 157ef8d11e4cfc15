using System.Collections.Concurrent;
using k8s;
using KernelRegression.Evidence;
using KernelRegression.Logs;
using KernelRegression.Faults;
using KernelRegression.Jupyter;
using KernelRegression.Tiers;
using KernelRegression.Kubernetes.Pods;

namespace KernelRegression.Kubernetes;

/// <summary>
/// JupyterHub from the Zero to JupyterHub chart on a kind or k3s cluster, as the checks see every tier.
/// Logs come from the cluster: the hub pod's, and each user's pod (KubeSpawner names it jupyter-USERNAME
/// and labels it hub.jupyter.org/username), followed as they are written.
/// </summary>
public sealed class KubernetesHub : IHubDeployment, IKernelSignals, IServerKill, IPodDeletion
{
    /// <summary>What the kind tier cannot do (yet), and why.</summary>
    public static IReadOnlyDictionary<Type, string> Missing { get; } = new Dictionary<Type, string>
    {
        [typeof(IProxyRestart)] = "not wired on the kind tier yet: delete the proxy pod (component=proxy) by hand",
        [typeof(IHubRestart)] = "not wired on the kind tier yet",
        [typeof(IServerPause)] = "Kubernetes has no pause for a pod",
        [typeof(INetworkPartition)] = "not wired on the kind tier yet (a NetworkPolicy would do it)",
        [typeof(IHomeFiles)] = "not wired on the kind tier yet",
        [typeof(IKernelProcessWatch)] = "a cluster's processes are not this machine's",
        [typeof(IEvidenceSource)] = "not wired on the kind tier yet",
    };

    private readonly ConcurrentDictionary<string, PodLogFollower> _userLogs = new();
    private readonly PodLogFollower _hubLog;
    private readonly Func<ValueTask> _teardown;

    internal KubernetesHub(string tier, string runId, Uri hubUrl, string token, IKubernetes api, string hubVersion, Func<ValueTask> teardown)
    {
        Tier = tier;
        RunId = runId;
        HubUrl = hubUrl;
        Api = api;
        HubVersion = hubVersion;
        Hub = new HubClient(hubUrl, Secrets.Register(token));
        _teardown = teardown;
        _hubLog = new PodLogFollower(api, Namespace, "component=hub", "hub", new LogTail("hub pod"));
    }

    public const string Namespace = Plan.KindPlan.Namespace;

    public string Tier { get; }
    public Uri HubUrl { get; }
    public HubClient Hub { get; }
    public string HubVersion { get; }
    public LogTail HubLog => _hubLog.Tail;
    public string RunId { get; }
    public IKubernetes Api { get; }

    public IReadOnlyDictionary<Type, string> Lacks => Missing;

    /// <summary>The user pod's labels: KubeSpawner's component label and the (escaped) user name.</summary>
    public static string UserPodSelector(string user, string serverName = "") =>
        $"component=singleuser-server,hub.jupyter.org/username={user}" + (string.IsNullOrEmpty(serverName) ? "" : $",hub.jupyter.org/servername={serverName}");

    /// <summary>The user's pod log ("notebook" container), followed across pod restarts.</summary>
    public LogTail ServerLog(string user, string serverName = "") =>
        _userLogs.GetOrAdd(user + "/" + serverName, _ => new PodLogFollower(Api, Namespace, UserPodSelector(user, serverName), "notebook", new LogTail($"pod jupyter-{user}"))).Tail;

    /// <summary>Pods, container states, events and log tails of the release's namespace: attach to a failed cell.</summary>
    public Task<string> EvidenceAsync(CancellationToken ct) => PodEvidence.CollectAsync(Api, Namespace, ct);

    /// <summary>Pod-level fault: deletes a user's pod (KubeSpawner sees the server gone).</summary>
    public async Task DeleteUserPodAsync(string user, CancellationToken ct)
    {
        var pods = await Api.CoreV1.ListNamespacedPodAsync(Namespace, labelSelector: UserPodSelector(user), cancellationToken: ct);
        foreach (var p in pods.Items)
        {
            await Api.CoreV1.DeleteNamespacedPodAsync(p.Metadata.Name, Namespace, gracePeriodSeconds: 0, cancellationToken: ct);
        }
    }

    public Task DeletePodAsync(string user, string serverName, CancellationToken ct) => DeleteUserPodAsync(user, ct);

    /// <summary>Deleting the user's pod is this tier's killed server: what an eviction or a lost node does to it.</summary>
    public Task KillServerAsync(string user, string serverName, CancellationToken ct) => DeleteUserPodAsync(user, ct);

    public async Task SignalKernelAsync(string user, string serverName, string kernelId, int signal, CancellationToken ct)
    {
        var (exit, output) = await ExecInUserPodAsync(user, ["sh", "-c", KernelProcesses.SignalScript(kernelId, signal)], ct);
        if (exit != 0)
        {
            throw new HarnessException($"no process of kernel {kernelId} in {user}'s pod (exit {exit}): {output.Trim()}",
                "start the kernel first; it may have died already");
        }
    }

    /// <summary>Pod-level fault: a command in the user's pod (e.g. kill the kernel: pkill -f ipykernel_launcher).</summary>
    public async Task<(int ExitCode, string Output)> ExecInUserPodAsync(string user, IReadOnlyList<string> command, CancellationToken ct)
    {
        var pods = await Api.CoreV1.ListNamespacedPodAsync(Namespace, labelSelector: UserPodSelector(user), cancellationToken: ct);
        var pod = pods.Items.FirstOrDefault(p => p.Status?.Phase == "Running")
            ?? throw new HarnessException($"{user} has no running pod to exec in", "spawn the user's server first");
        return await PodExec.RunAsync(Api, Namespace, pod.Metadata.Name, "notebook", command, Deadline.Of(30), ct);
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
