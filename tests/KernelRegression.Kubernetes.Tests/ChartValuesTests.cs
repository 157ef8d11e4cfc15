using KernelRegression.Matrix;
using KernelRegression.Kubernetes.Chart;
using KernelRegression.Kubernetes.Cluster;
using YamlDotNet.Serialization;

namespace KernelRegression.Kubernetes.Tests;

public sealed class ChartValuesTests
{
    private static Dictionary<object, object?> Values(string hub, string profile)
    {
        var yaml = ChartValues.Render(ChartSpec.From(Cells.Kind(hub, profile: profile)), LaunchProfile.Resolve(profile), "kr/singleuser:sid-default-abc123", "token-0123456789", "pw-0123456789");
        return new DeserializerBuilder().Build().Deserialize<Dictionary<object, object?>>(yaml);
    }

    private static object? At(Dictionary<object, object?> root, string path)
    {
        object? node = root;
        foreach (var key in path.Split('.'))
        {
            node = node is Dictionary<object, object?> d && d.TryGetValue(key, out var v) ? v : null;
        }
        return node;
    }

    [Fact]
    public void TheHarnessServiceGetsItsTokenAndARoleWithTheLauncherScopes()
    {
        var v = Values("z2jh-4", "default");

        At(v, "hub.services.kr-harness.apiToken").Should().Be("token-0123456789");
        ((List<object>)At(v, "hub.loadRoles.kr-harness.scopes")!).Should().BeEquivalentTo(new[] { "admin:users", "admin:servers", "access:servers", "tokens", "read:hub" });
        ((List<object>)At(v, "hub.loadRoles.kr-harness.services")!).Should().Equal("kr-harness");
    }

    [Fact]
    public void TheProxyIsANodePortOnThePortKindMaps()
    {
        var v = Values("z2jh-3", "default");

        At(v, "proxy.service.type").Should().Be("NodePort");
        At(v, "proxy.service.nodePorts.http").Should().Be(KindConfig.ProxyNodePort.ToString(System.Globalization.CultureInfo.InvariantCulture));
    }

    [Fact]
    public void DummyAuthAllowsAllOnChartFourOnly()
    {
        At(Values("z2jh-4", "default"), "hub.config.JupyterHub.authenticator_class").Should().Be("dummy");
        At(Values("z2jh-4", "default"), "hub.config.Authenticator.allow_all").Should().Be("true");
        At(Values("z2jh-3", "default"), "hub.config.Authenticator").Should().BeNull();
    }

    [Fact]
    public void TheHubImageIsOverriddenOnlyWhenKubeSpawnerDiffersFromTheCharts()
    {
        At(Values("z2jh-4-ks6", "default"), "hub.image.name").Should().Be("kr/k8s-hub");
        At(Values("z2jh-4-ks6", "default"), "hub.image.tag").Should().Be("4.2.0-kubespawner-6.2.0");
        At(Values("z2jh-4", "default"), "hub.image").Should().BeNull();
    }

    [Fact]
    public void TheDefaultProfileKeepsTheImagesCommandAndSetsUserLimitsAndImage()
    {
        var v = Values("z2jh-4", "default");

        At(v, "singleuser.cmd").Should().BeNull();
        At(v, "singleuser.image.name").Should().Be("kr/singleuser");
        At(v, "singleuser.image.tag").Should().Be("sid-default-abc123");
        At(v, "singleuser.uid").Should().Be("1000");
        At(v, "singleuser.fsGid").Should().Be("100");
        At(v, "singleuser.memory.limit").Should().Be("1G");
        At(v, "singleuser.cpu.limit").Should().Be("1");
        At(v, "singleuser.storage.type").Should().Be("none");
        At(v, "hub.config.KubeSpawner.extra_container_config").Should().BeNull();
    }

    [Fact]
    public void AProfileCommandBecomesTheContainersCommandNotSpawnerCmd()
    {
        // kubespawner PR 38 put Spawner.cmd into the pod's args: only extra_container_config reaches `command`.
        var v = Values("z2jh-4", "kubespawner-pr34-command");

        ((List<object>)At(v, "hub.config.KubeSpawner.extra_container_config.command")!).Should().Equal("jupyterhub-singleuser", "--ip=0.0.0.0", "--port=8888");
        At(v, "singleuser.cmd").Should().BeNull();
    }

    [Fact]
    public void ProfileArgsBecomeSingleuserCmdWhichKubeSpawnerPutsInArgs()
    {
        var v = Values("z2jh-3", "kubespawner-pr38-args");

        ((List<object>)At(v, "singleuser.cmd")!).Should().Equal("jupyterhub-singleuser", "--ip=0.0.0.0", "--port=8888");
        At(v, "hub.config.KubeSpawner.extra_container_config").Should().BeNull();
    }

    [Fact]
    public void AnInitProfileSharesThePodsProcessNamespaceSoTheServerIsNotPid1()
    {
        At(Values("z2jh-4", "docker-init"), "singleuser.extraPodConfig.shareProcessNamespace").Should().Be("true");
        At(Values("z2jh-4", "default"), "singleuser.extraPodConfig").Should().BeNull();
    }
}
