using System.Text.Json.Nodes;
using k8s;
using k8s.Models;
using KernelRegression.Kubernetes.Chart;

namespace KernelRegression.Kubernetes.Pods;

/// <summary>A pod the harness looks at, how to find it now, and the label selector to watch for its changes.</summary>
public sealed record PodTarget(string Description, string Selector, Func<CancellationToken, Task<V1Pod?>> FindAsync);

/// <summary>A user's pod and how it was found (for the evidence: which rule named it).</summary>
public sealed record FoundPod(V1Pod Pod, string FoundBy);

/// <summary>
/// Finds a user's pod the way KubeSpawner named it. First the hub: the server's state (read with the
/// harness' admin:servers token, which includes admin:server_state) holds KubeSpawner's own pod_name.
/// Without it (no active server, a hub that does not answer) the version's label escaping selects it.
/// </summary>
public sealed class UserPods(IKubernetes api, string ns, KubeSpawnerNaming naming, Func<string, CancellationToken, Task<JsonObject?>>? readUser)
{
    public KubeSpawnerNaming Naming => naming;

    public async Task<FoundPod?> FindAsync(string user, string serverName, CancellationToken ct)
    {
        if (await PodNameFromHubAsync(user, serverName, ct) is { } name)
        {
            try
            {
                return new FoundPod(await api.CoreV1.ReadNamespacedPodAsync(name, ns, cancellationToken: ct), $"the hub's server state (pod_name {name})");
            }
            catch (k8s.Autorest.HttpOperationException e) when (e.Response.StatusCode == System.Net.HttpStatusCode.NotFound)
            {
                // The hub remembers a pod that is gone (deleted, evicted): the labels may find its successor.
            }
        }
        var selector = naming.Selector(user, serverName);
        var pods = await api.CoreV1.ListNamespacedPodAsync(ns, labelSelector: selector, cancellationToken: ct);
        var pod = pods.Items.Where(p => p.Metadata.DeletionTimestamp is null).OrderBy(p => p.Metadata.CreationTimestamp).LastOrDefault()
            ?? pods.Items.OrderBy(p => p.Metadata.CreationTimestamp).LastOrDefault();
        return pod is null ? null : new FoundPod(pod, $"KubeSpawner {naming.Version} labels ({selector})");
    }

    /// <summary>servers[NAME].state.pod_name of the hub's user model, or null when the hub has none to give.</summary>
    public async Task<string?> PodNameFromHubAsync(string user, string serverName, CancellationToken ct)
    {
        if (readUser is null)
        {
            return null;
        }
        try
        {
            var model = await readUser(user, ct);
            return model?["servers"]?[serverName]?["state"]?["pod_name"]?.GetValue<string>() is { Length: > 0 } name ? name : null;
        }
        catch (Exception e) when (e is ActionableException or HttpRequestException or InvalidOperationException
            || e is OperationCanceledException && !ct.IsCancellationRequested)
        {
            // A hub that does not answer (restarting, timed out) or a model without state: the labels still find the pod.
            return null;
        }
    }

    /// <summary>The user's pod as a log and watch target.</summary>
    public PodTarget Target(string user, string serverName) =>
        new($"{user}'s pod", naming.Selector(user, serverName), async ct => (await FindAsync(user, serverName, ct))?.Pod);
}
