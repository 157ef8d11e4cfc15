using KernelRegression.Jupyter;
using KernelRegression.Kubernetes.Plan;

namespace KernelRegression.Kubernetes.Pods;

/// <summary>The plan's waits, for real: Deployments through KubernetesClient, the hub's API over HTTP.</summary>
public sealed class ClusterWaiter(string? context = null) : IClusterWaiter
{
    public static readonly IReadOnlyList<string> ChartDeployments = ["hub", "proxy"];

    public async Task AwaitAsync(AwaitTarget target, RunValues values, TimeSpan deadline, CancellationToken ct)
    {
        switch (target)
        {
            case AwaitTarget.DeploymentsAvailable:
                using (var api = KubeApi.Connect(values.Kubeconfig, context))
                {
                    await Readiness.DeploymentsAvailableAsync(api, KindPlan.Namespace, ChartDeployments, deadline, ct);
                }
                break;
            case AwaitTarget.HubApi:
                await HubApiAsync(values.HubUrl, deadline, ct);
                break;
        }
    }

    public static async Task<string> HubApiAsync(Uri hubUrl, TimeSpan deadline, CancellationToken ct)
    {
        var last = "no answer yet";
        using var hub = new HubClient(hubUrl, "");
        return await Deadline.RunAsync($"GET {hubUrl}hub/api/ through the proxy", deadline, async t =>
        {
            while (true)
            {
                try
                {
                    return await hub.GetVersionAsync(t);
                }
                catch (ActionableException e)
                {
                    // The proxy answers 503 until the hub registered its route; the NodePort refuses until kube-proxy is set up.
                    last = e.What.Split('\n')[0];
                    await Task.Delay(500, t);
                }
            }
        }, () => last, ct);
    }
}
