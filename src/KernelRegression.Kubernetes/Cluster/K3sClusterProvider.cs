using DotNet.Testcontainers.Builders;
using KernelRegression.Tiers.Docker;
using KernelRegression.Kubernetes.Commands;
using Testcontainers.K3s;

namespace KernelRegression.Kubernetes.Cluster;

/// <summary>
/// A k3s cluster in one container (Testcontainers.K3s), labelled with the run id like every docker-tier
/// container, so DockerCli's sweep removes it when its run died. Images are loaded with `docker save`
/// and `ctr images import` inside the container; the proxy is reached through a port-forward.
/// </summary>
public sealed class K3sClusterProvider(string runId, string runDirectory, ICommandRunner runner, string? image = null) : IClusterProvider
{
    /// <summary>k3s image for Kubernetes 1.32 (KR_K3S_IMAGE overrides).</summary>
    public const string DefaultImage = "rancher/k3s:v1.32.5-k3s1";
    private K3sContainer? _container;

    public string Name => "k3s";
    public string Image => image ?? Environment.GetEnvironmentVariable("KR_K3S_IMAGE") ?? DefaultImage;
    public string KubeconfigPath => Path.Combine(runDirectory, "kubeconfig");

    public async Task<ClusterHandle> CreateAsync(CancellationToken ct)
    {
        _container = new K3sBuilder(Image)
            .WithName(ClusterName.For(runId))
            .WithLabel(DockerCli.RunLabel, runId).WithLabel(DockerCli.OwnerLabel, DockerCli.Owner)
            .WithCleanUp(false) // no reaper offline (FACTS.md): removal is by label
            .Build();
        await Deadline.RunAsync($"k3s container {Image} to start", Deadline.Of(300), t => _container.StartAsync(t), () => "container starting", ct);
        Directory.CreateDirectory(runDirectory);
        await File.WriteAllTextAsync(KubeconfigPath, await _container.GetKubeconfigAsync().WaitAsync(ct), ct);
        return new ClusterHandle(ClusterName.For(runId), Name, KubeconfigPath, null, null);
    }

    public async Task<string> KubeconfigAsync(CancellationToken ct) =>
        _container is null ? throw NotStarted() : await _container.GetKubeconfigAsync().WaitAsync(ct);

    public async Task LoadImageAsync(string image, CancellationToken ct)
    {
        var container = _container ?? throw NotStarted();
        var tar = Path.Combine(runDirectory, "image-" + Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(image)))[..12] + ".tar");
        var save = await runner.RunAsync(CommandLine.Of("docker", "save", "-o", tar, image), Deadline.Of(300), ct);
        if (!save.Succeeded)
        {
            throw new HarnessException($"`docker save {image}` failed: {save.StandardError.Trim()}", "build or pull the image first: docker image ls");
        }
        await container.CopyAsync(tar, "/tmp/", ct: ct);
        var import = await container.ExecAsync(["ctr", "-n", "k8s.io", "images", "import", "/tmp/" + Path.GetFileName(tar)], ct);
        File.Delete(tar);
        if (import.ExitCode != 0)
        {
            throw new HarnessException($"importing {image} into k3s failed: {import.Stderr.Trim()}", "check the image's platform matches the k3s node (docker image inspect)");
        }
    }

    public async Task DeleteAsync(CancellationToken ct)
    {
        if (_container is null || KeepCluster.Requested)
        {
            return;
        }
        await _container.DisposeAsync();
    }

    public async Task<IReadOnlyList<string>> SweepStaleAsync(CancellationToken ct)
    {
        // k3s clusters are containers with the run label: the docker tier's sweep already removes them.
        await DockerCli.SweepStaleOnceAsync();
        return [];
    }

    private static HarnessException NotStarted() => new("the k3s cluster is not started", "call CreateAsync first");
}
