using System.Globalization;
using k8s;
using k8s.Models;
using KernelRegression.Logs;

namespace KernelRegression.Kubernetes.Pods;

/// <summary>
/// Follows one container of a pod into a <see cref="LogTail"/> until disposed, across everything that
/// happens to a pod: it does not exist yet (the spawn has not begun), its container is waiting (the log
/// API answers 400 "is waiting to start"), the container restarts in the same pod (KubeSpawner pods
/// have restartPolicy OnFailure: a crashed or OOM-killed server comes back in the same pod), the pod is
/// replaced. Progress is kept per container run (its containerID), not per pod: a run is read to its
/// end once, a run that ended before it was followed is read with previous=true, and a run whose stream
/// broke off is resumed without repeating lines (timestamps=true, lines at or before the last one seen
/// are dropped). Between attempts it waits on a watch of the pod, not a timer.
/// </summary>
public sealed class PodLogFollower : IDisposable
{
    private readonly CancellationTokenSource _stop = new();
    private readonly IKubernetes _api;
    private readonly string _ns;
    private readonly PodTarget _target;
    private readonly string _container;
    // containerID -> the timestamp of the last line taken from that run.
    private readonly Dictionary<string, DateTimeOffset> _last = [];
    // containerIDs read to their end.
    private readonly HashSet<string> _done = [];

    public PodLogFollower(IKubernetes api, string ns, PodTarget target, string container, LogTail tail, TimeSpan? watchTimeout = null)
    {
        _api = api;
        _ns = ns;
        _target = target;
        _container = container;
        Tail = tail;
        WatchTimeout = watchTimeout ?? TimeSpan.FromSeconds(30);
        Following = FollowAsync(_stop.Token);
    }

    public LogTail Tail { get; }
    public Task Following { get; }
    /// <summary>How long one wait for a change of the pod lasts before looking again anyway.</summary>
    public TimeSpan WatchTimeout { get; }

    private async Task FollowAsync(CancellationToken ct)
    {
        while (!ct.IsCancellationRequested)
        {
            string? resourceVersion = null;
            try
            {
                var pod = await _target.FindAsync(ct);
                resourceVersion = pod?.Metadata.ResourceVersion;
                if (pod is not null && await ReadWhatIsNewAsync(pod, ct))
                {
                    continue;
                }
            }
            catch (OperationCanceledException) when (ct.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e) when (e is HttpRequestException or IOException or k8s.Autorest.HttpOperationException or ActionableException
                or System.Text.Json.JsonException or OperationCanceledException)
            {
                // "is waiting to start", a pod gone mid-stream, an API server hiccup or a request timing out:
                // wait for the pod to change. (Cancellation of the follower itself was handled above.)
            }
            if (!await WaitForChangeAsync(resourceVersion, ct))
            {
                // The watch itself failed (410 Gone, a connection reset): look again in a second rather than at once.
                await Task.Delay(TimeSpan.FromSeconds(1), ct).ContinueWith(_ => { }, TaskScheduler.Default);
            }
        }
    }

    /// <summary>Reads the container's last run and current run where they have lines not yet taken; true when any line came.</summary>
    private async Task<bool> ReadWhatIsNewAsync(V1Pod pod, CancellationToken ct)
    {
        var status = (pod.Status?.ContainerStatuses ?? []).FirstOrDefault(c => c.Name == _container);
        if (status is null)
        {
            return false;
        }
        var got = false;
        if (status.LastState?.Terminated?.ContainerID is { } previous && !_done.Contains(previous))
        {
            // The run before this one ended: its last words (a traceback, "Killed") are only in the previous log.
            got |= await ReadAsync(pod, previous, previousRun: true, follow: false, ct) > 0;
            _done.Add(previous);
        }
        var current = status.ContainerID;
        if (string.IsNullOrEmpty(current) || _done.Contains(current) || status.State?.Waiting is not null)
        {
            return got;
        }
        var ended = status.State?.Terminated is not null;
        if (!_last.ContainsKey(current))
        {
            Tail.Append($"[kr] following {pod.Metadata.Name}/{_container} (restart {status.RestartCount})");
        }
        got |= await ReadAsync(pod, current, previousRun: false, follow: !ended, ct) > 0;
        if (ended)
        {
            _done.Add(current);
        }
        return got;
    }

    private async Task<int> ReadAsync(V1Pod pod, string containerId, bool previousRun, bool follow, CancellationToken ct)
    {
        var since = _last.TryGetValue(containerId, out var last) ? last : (DateTimeOffset?)null;
        // sinceSeconds only narrows what is sent again; the timestamp comparison below decides.
        int? sinceSeconds = since is { } s && !previousRun ? Math.Max(1, (int)Math.Ceiling((DateTimeOffset.UtcNow - s).TotalSeconds) + 1) : null;
        using var stream = await _api.CoreV1.ReadNamespacedPodLogAsync(pod.Metadata.Name, _ns, container: _container, follow: follow,
            previous: previousRun, sinceSeconds: sinceSeconds, timestamps: true, cancellationToken: ct);
        using var reader = new StreamReader(stream);
        var taken = 0;
        while (await reader.ReadLineAsync(ct) is { } raw)
        {
            var (at, line) = SplitTimestamp(raw);
            if (at is { } t)
            {
                if (since is { } seen && t <= seen)
                {
                    continue;
                }
                _last[containerId] = t;
                since = t;
            }
            Tail.Append(line);
            taken++;
        }
        return taken;
    }

    /// <summary>"2026-11-24T10:00:00.123456789Z text" → (time, text); a line without a timestamp is kept whole.</summary>
    public static (DateTimeOffset? At, string Line) SplitTimestamp(string raw)
    {
        var space = raw.IndexOf(' ', StringComparison.Ordinal);
        var stamp = space > 0 ? raw[..space] : raw;
        if (stamp.Length < 20 || !stamp.EndsWith('Z'))
        {
            return (null, raw);
        }
        // RFC 3339 with up to 9 fraction digits; .NET keeps 7.
        var dot = stamp.IndexOf('.', StringComparison.Ordinal);
        var normalized = dot < 0 ? stamp : stamp[..Math.Min(stamp.Length - 1, dot + 8)] + "Z";
        return DateTimeOffset.TryParse(normalized, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var at)
            ? (at, space > 0 ? raw[(space + 1)..] : "")
            : (null, raw);
    }

    /// <summary>
    /// Returns at the first change of a matching pod after <paramref name="resourceVersion"/> (or its
    /// appearance), or when the watch times out (true); false when the watch could not be made.
    /// </summary>
    private async Task<bool> WaitForChangeAsync(string? resourceVersion, CancellationToken ct)
    {
        using var bounded = CancellationTokenSource.CreateLinkedTokenSource(ct);
        bounded.CancelAfter(WatchTimeout + TimeSpan.FromSeconds(5));
        try
        {
            await foreach (var _ in _api.CoreV1.WatchListNamespacedPodAsync(_ns, labelSelector: _target.Selector, resourceVersion: resourceVersion,
                timeoutSeconds: Math.Max(1, (int)WatchTimeout.TotalSeconds), cancellationToken: bounded.Token))
            {
                break;
            }
            return true;
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
            return true;
        }
        catch (Exception e) when (e is HttpRequestException or IOException or k8s.Autorest.HttpOperationException or System.Text.Json.JsonException or KubernetesException)
        {
            return false;
        }
    }

    public void Dispose()
    {
        _stop.Cancel();
        _stop.Dispose();
    }
}
