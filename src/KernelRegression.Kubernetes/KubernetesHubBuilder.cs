using System.Security.Cryptography;
using KernelRegression.Matrix;
using KernelRegression.Host;
using KernelRegression.Kubernetes.Cluster;
using KernelRegression.Kubernetes.Commands;
using KernelRegression.Kubernetes.Plan;
using KernelRegression.Kubernetes.Pods;
using KernelRegression.Images;

namespace KernelRegression.Kubernetes;

/// <summary>The docker tier's image store as the plan's image source.</summary>
public sealed class ImageStoreSource(ImageStore store) : IImageSource
{
    public Task<string> SingleUserAsync(ImageSpec image, CancellationToken ct) => store.SingleUserAsync(image, ct);
}

/// <summary>
/// Stands up a kind cell: runs <see cref="KindPlan"/> step by step (the steps `kr plan` prints), then
/// hands out a <see cref="KubernetesHub"/> whose dispose deletes the cluster (unless KR_KEEP_CLUSTER=1).
/// A failure on the way attaches the namespace's pod evidence and still deletes the cluster.
/// <paramref name="profile"/> is the cell's launch with its scenario applied (<see cref="KindPlan.LaunchOf"/>).
/// </summary>
public static class KubernetesHubBuilder
{
    public static async Task<KubernetesHub> StartKindAsync(MatrixCell cell, LaunchProfile profile, Run run, CancellationToken ct,
        ICommandRunner? runner = null, IImageSource? images = null, Action<string>? progress = null)
    {
        runner ??= CliCommandRunner.Instance;
        progress ??= l => Console.Error.WriteLine($"[kr kind] {l}");
        var plan = KindPlan.For(cell, profile, run.Id);
        var values = new RunValues
        {
            RunId = run.Id,
            RunDirectory = run.Folder("kind"),
            HostPort = FreePort.Next(),
            ApiToken = Secrets.Register(Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(32))),
            DummyPassword = Secrets.Register(Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16))),
        };
        var executor = new PlanExecutor(runner, images ?? new ImageStoreSource(ImageStore.Shared), new ClusterWaiter(), progress);
        async ValueTask Teardown()
        {
            if (KeepCluster.Requested)
            {
                progress($"KR_KEEP_CLUSTER=1: keeping {plan.ClusterName} (kubeconfig {values.Kubeconfig}); remove it with `kind delete cluster --name {plan.ClusterName}`");
                return;
            }
            await executor.TeardownAsync(plan.Steps, values, CancellationToken.None);
        }
        try
        {
            await executor.RunAsync(plan.Steps, values, ct);
            var version = await ClusterWaiter.HubApiAsync(values.HubUrl, Deadline.Of(30), ct);
            return new KubernetesHub(TierName.Kind, run.Id, values.HubUrl, values.ApiToken, KubeApi.Connect(values.Kubeconfig), version,
                plan.Naming, Teardown, progress);
        }
        catch (Exception e) when (e is ActionableException && File.Exists(values.Kubeconfig))
        {
            string evidence;
            using (var api = KubeApi.Connect(values.Kubeconfig))
            {
                evidence = await NamespaceEvidence.CollectAsync(api, KindPlan.Namespace, CancellationToken.None);
            }
            await Teardown();
            throw new HarnessException($"{((HarnessException)e).What}\n--- cluster evidence ---\n{Secrets.Redact(evidence)}", ((HarnessException)e).Fix, e);
        }
        catch
        {
            await Teardown();
            throw;
        }
    }
}
