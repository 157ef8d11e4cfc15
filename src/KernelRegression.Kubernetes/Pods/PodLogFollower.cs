using k8s;
using KernelRegression.Evidence;
using KernelRegression.Logs;

namespace KernelRegression.Kubernetes.Pods;

/// <summary>
/// Follows a pod's container log into a <see cref="LogTail"/> until disposed, finding the pod by label
/// selector (a user's pod only exists once the spawn has begun, and a restart makes a new one).
/// </summary>
public sealed class PodLogFollower : IDisposable
{
    private readonly CancellationTokenSource _stop = new();

    public PodLogFollower(IKubernetes api, string ns, string labelSelector, string container, LogTail tail)
    {
        Tail = tail;
        Following = FollowAsync(api, ns, labelSelector, container, _stop.Token);
    }

    public LogTail Tail { get; }
    public Task Following { get; }

    private async Task FollowAsync(IKubernetes api, string ns, string selector, string container, CancellationToken ct)
    {
        string? followed = null;
        while (!ct.IsCancellationRequested)
        {
            try
            {
                var pods = await api.CoreV1.ListNamespacedPodAsync(ns, labelSelector: selector, cancellationToken: ct);
                var pod = pods.Items.Where(p => p.Status?.Phase is "Running" or "Succeeded" or "Failed")
                    .OrderBy(p => p.Metadata.CreationTimestamp).LastOrDefault();
                if (pod is null || pod.Metadata.Uid == followed)
                {
                    await Task.Delay(500, ct);
                    continue;
                }
                followed = pod.Metadata.Uid;
                Tail.Append($"[kr] following {pod.Metadata.Name}/{container}");
                using var stream = await api.CoreV1.ReadNamespacedPodLogAsync(pod.Metadata.Name, ns, container: container, follow: true, cancellationToken: ct);
                using var reader = new StreamReader(stream);
                while (await reader.ReadLineAsync(ct) is { } line)
                {
                    Tail.Append(line);
                }
            }
            catch (OperationCanceledException) when (ct.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e) when (e is HttpRequestException or IOException or k8s.Autorest.HttpOperationException)
            {
                // The pod went away mid-stream (restart, deletion): look for the next one.
                await Task.Delay(500, ct).ContinueWith(_ => { }, TaskScheduler.Default);
            }
        }
    }

    public void Dispose()
    {
        _stop.Cancel();
        _stop.Dispose();
    }
}
