using System.Text;
using k8s;
using k8s.Models;

namespace KernelRegression.Kubernetes.Pods;

/// <summary>
/// What the cluster says about a whole namespace, as text for a failed install or a failed cell:
/// every pod's phase and container states (restarts, OOMKilled, exit codes), the latest events, and
/// log tails. Read-only. One user's pod in detail is <see cref="PodEvidence"/>.
/// </summary>
public static class NamespaceEvidence
{
    public static string DescribePod(V1Pod pod)
    {
        var sb = new StringBuilder();
        sb.Append(pod.Metadata.Name).Append(": phase ").Append(pod.Status?.Phase ?? "?");
        if (!string.IsNullOrEmpty(pod.Status?.Reason))
        {
            sb.Append(" (").Append(pod.Status.Reason).Append(')');
        }
        foreach (var c in (pod.Status?.InitContainerStatuses ?? []).Concat(pod.Status?.ContainerStatuses ?? []))
        {
            sb.Append("\n  ").Append(c.Name).Append(": ").Append(DescribeState(c.State)).Append(", restarts ").Append(c.RestartCount);
            if (c.LastState?.Terminated is not null)
            {
                sb.Append(", last: ").Append(DescribeState(c.LastState));
            }
        }
        return sb.ToString();
    }

    public static string DescribeState(V1ContainerState? s) => s switch
    {
        { Running: not null } => "running",
        { Waiting: { } w } => $"waiting ({w.Reason}{(string.IsNullOrEmpty(w.Message) ? "" : ": " + w.Message)})",
        { Terminated: { } t } => $"terminated ({t.Reason}, exit {t.ExitCode}{(t.Signal is { } sig ? $", signal {sig}" : "")})",
        _ => "unknown",
    };

    public static async Task<string> CollectAsync(IKubernetes api, string ns, CancellationToken ct, string? labelSelector = null, int logLines = 40)
    {
        var sb = new StringBuilder();
        try
        {
            var pods = await api.CoreV1.ListNamespacedPodAsync(ns, labelSelector: labelSelector, cancellationToken: ct);
            sb.Append("--- pods ---\n");
            foreach (var p in pods.Items)
            {
                sb.Append(DescribePod(p)).Append('\n');
            }
            var events = await api.CoreV1.ListNamespacedEventAsync(ns, cancellationToken: ct);
            sb.Append("--- events (latest 30) ---\n");
            foreach (var e in events.Items.OrderBy(e => e.LastTimestamp ?? e.EventTime ?? e.Metadata.CreationTimestamp).TakeLast(30))
            {
                sb.Append($"{e.Type} {e.Reason} {e.InvolvedObject.Kind}/{e.InvolvedObject.Name}: {e.Message}\n");
            }
            foreach (var p in pods.Items)
            {
                foreach (var c in p.Spec.Containers)
                {
                    sb.Append($"--- log {p.Metadata.Name}/{c.Name} (tail {logLines}) ---\n");
                    sb.Append(await LogTailAsync(api, ns, p.Metadata.Name, c.Name, logLines, ct)).Append('\n');
                }
            }
        }
        catch (Exception e) when (e is HttpRequestException or k8s.Autorest.HttpOperationException or OperationCanceledException && !ct.IsCancellationRequested)
        {
            sb.Append($"(evidence incomplete: {e.Message})\n");
        }
        return sb.ToString();
    }

    public static async Task<string> LogTailAsync(IKubernetes api, string ns, string pod, string container, int lines, CancellationToken ct)
    {
        try
        {
            using var stream = await api.CoreV1.ReadNamespacedPodLogAsync(pod, ns, container: container, tailLines: lines, cancellationToken: ct);
            using var reader = new StreamReader(stream);
            return await reader.ReadToEndAsync(ct);
        }
        catch (k8s.Autorest.HttpOperationException e)
        {
            return $"(no log: {e.Response?.Content ?? e.Message})";
        }
    }
}
