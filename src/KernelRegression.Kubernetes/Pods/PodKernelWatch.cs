using k8s;
using KernelRegression.Host;

namespace KernelRegression.Kubernetes.Pods;

/// <summary>
/// The kind tier's kernel process watch: <see cref="KernelWatchScript"/> run in the user's notebook
/// container through a streaming exec, from when the watch starts until it is disposed. Inside the pod
/// the script reads the container's own pid namespace, so "parent is PID 1" means what it means on the
/// docker tier. A pod not running, or an exec that fails, leaves the watch empty and says so in the log.
/// </summary>
public static class PodKernelWatch
{
    public static ScriptedKernelWatch Start(IKubernetes api, string ns, UserPods pods, string user, string serverName, string kernelId,
        Action<string> log, CancellationToken ct)
    {
        var script = KernelWatchScript.For(kernelId);
        return ScriptedKernelWatch.Start(kernelId, t => OpenAsync(api, ns, pods, user, serverName, script, t), log, ct);
    }

    private static async Task<KernelWatchFeed> OpenAsync(IKubernetes api, string ns, UserPods pods, string user, string serverName, string script, CancellationToken ct)
    {
        var found = await pods.FindAsync(user, serverName, ct);
        if (found?.Pod.Status?.Phase != "Running")
        {
            throw new HarnessException($"{user} has no running pod to watch the kernel in ({found?.Pod.Metadata.Name ?? "none found"}, phase {found?.Pod.Status?.Phase ?? "-"})",
                "the watch starts with the kernel, once the server is ready");
        }
        var pod = found.Pod.Metadata.Name;
        var where = $"pod {pod}, container {PodEvidence.NotebookContainer}";
        try
        {
            var exec = await Deadline.RunAsync($"the kernel watch's exec in {where}", Deadline.Of(30),
                t => PodExecSession.OpenAsync(api, ns, pod, PodEvidence.NotebookContainer, ["sh", "-c", script], t), () => "no answer to the exec", ct);
            return new KernelWatchFeed(exec.Stdout, exec.Stderr, exec) { Where = where };
        }
        catch (k8s.Autorest.HttpOperationException e)
        {
            var said = e.Body is k8s.Models.V1Status { Message: { Length: > 0 } m } ? m : e.Response?.Content is { Length: > 0 } c ? c : e.Message;
            throw new HarnessException($"the exec into {where} was refused ({e.Response?.StatusCode}): {said}", "the notebook container must run and have sh", e);
        }
        catch (System.Net.WebSockets.WebSocketException e)
        {
            throw new HarnessException($"the exec into {where} failed: {e.Message}{(e.InnerException is { } i ? $" ({i.Message})" : "")}", "the notebook container must run and have sh", e);
        }
    }
}
