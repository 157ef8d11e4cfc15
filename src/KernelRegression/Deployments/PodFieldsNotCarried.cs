namespace KernelRegression.Deployments;

/// <summary>
/// The fields every KubeSpawner pod has that no values key sets and the docker launch never carries,
/// each with why: the rest of a pod either is the launch (compared field by field against golden pods,
/// tests/KernelRegression.Tests/Deployments/GoldenPodConformanceTests.cs) or is a cell's NotApplied.
/// Keys are JSON paths of the pod (containers[notebook] is the server's container); a key ending in '.'
/// covers every field below it.
/// </summary>
public static class PodFieldsNotCarried
{
    public static readonly IReadOnlyDictionary<string, string> Why = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["apiVersion"] = "a Kubernetes object's version; a container has none",
        ["kind"] = "a Kubernetes object's kind; a container has none",
        ["metadata.name"] = "the pod's name (pod_name_template); the docker tier names its containers kr-RUN-USER",
        ["metadata.labels.app"] = "KubeSpawner's and the chart's own labels; the docker tier labels its containers with the run, user and server",
        ["metadata.labels.app.kubernetes.io/"] = "KubeSpawner's and the chart's own labels; the docker tier labels its containers with the run, user and server",
        ["metadata.labels.chart"] = "the chart's own label",
        ["metadata.labels.helm.sh/chart"] = "the chart's own label",
        ["metadata.labels.heritage"] = "the chart's own label",
        ["metadata.labels.release"] = "the chart's own label",
        ["metadata.labels.component"] = "KubeSpawner's own label",
        ["metadata.labels.hub.jupyter.org/username"] = "KubeSpawner's own label; the docker tier's is org.kernelregression.user",
        ["metadata.labels.hub.jupyter.org/servername"] = "KubeSpawner's own label; the docker tier's is org.kernelregression.server",
        ["metadata.annotations.hub.jupyter.org/"] = "KubeSpawner's own annotations (user, server, versions); a container has labels only",
        ["spec.restartPolicy"] = "OnFailure, and KubeSpawner deletes a pod whose server stopped; the docker tier's spawner removes the container when the server exits",
        ["spec.containers[notebook].name"] = "the container's name in the pod",
        ["spec.containers[notebook].ports."] = "8888, where the server listens in both (the docker tier reaches it on the container's network address, as the hub reaches the pod's)",
        ["spec.containers[notebook].lifecycle"] = "an empty lifecycle: nothing to run",
        ["spec.automountServiceAccountToken"] = "false without a service account: no Kubernetes API token in the pod; docker has no Kubernetes API either",
        ["spec.imagePullSecrets"] = "an empty list: no registry credentials",
        ["spec.initContainers[].resources"] = "an empty resources object: no requests or limits",
    };

    /// <summary>Why the docker launch never carries this pod field, or null when it is not one of these.</summary>
    public static string? For(string path) =>
        Why.TryGetValue(path, out var why) ? why
        : Why.Where(kv => (kv.Key.EndsWith('.') || kv.Key.EndsWith('/')) && path.StartsWith(kv.Key, StringComparison.Ordinal)).Select(kv => kv.Value).FirstOrDefault();
}
