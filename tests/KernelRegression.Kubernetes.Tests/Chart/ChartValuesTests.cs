using KernelRegression.Kubernetes.Chart;
using KernelRegression.Kubernetes.Cluster;
using YamlDotNet.Core;
using YamlDotNet.Core.Events;
using YamlDotNet.Serialization;

namespace KernelRegression.Kubernetes.Tests.Chart;

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
        ((List<object>)At(v, "hub.loadRoles.kr-harness.scopes")!).Should().BeEquivalentTo(["admin:users", "admin:servers", "access:servers", "tokens", "read:hub"]);
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
        // The profile sets gid 100 and no fs_gid: the group of the process, no fsGroup (ChartValuesProfileFieldsTests).
        At(v, "hub.config.KubeSpawner.gid").Should().Be("100");
        At(v, "singleuser.fsGid").Should().BeNull();
        At(v, "singleuser.memory.limit").Should().Be("1G");
        At(v, "singleuser.cpu.limit").Should().Be("1");
        // No storage in the profile: a per-user home volume, as on the docker tier.
        At(v, "singleuser.storage.type").Should().Be("dynamic");
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

    /// <summary>Env values helm (YAML 1.1) would read as a bool, a number or null when written plain.</summary>
    public static readonly TheoryData<string> YamlAmbiguous = new(["true", "1", "0755", "yes", "null", "~", "1e3", "0x1F", "on", "False", "-12", ""]);

    private static string RenderWithEnv(Dictionary<string, string> env) =>
        ChartValues.Render(ChartSpec.From(Cells.Kind("z2jh-4")), LaunchProfile.Resolve("default") with { Env = env }, "kr/singleuser:sid-default-abc123", "token-0123456789", "pw-0123456789");

    // Resolves plain scalars to bool, number or null, as a YAML reader that infers types does (helm's does, with YAML 1.1 rules).
    private static readonly IDeserializer Typed = new DeserializerBuilder().WithAttemptingUnquotedStringTypeDeserialization().Build();

    [Theory]
    [MemberData(nameof(YamlAmbiguous))]
    public void AnEnvValueThatLooksLikeAnotherTypeStaysAStringAfterARoundTrip(string value)
    {
        // Given a launch whose env value reads as something else when unquoted
        var yaml = RenderWithEnv(new() { ["KR_VALUE"] = value });

        // When the values file is read back by a type-inferring reader
        var back = Typed.Deserialize<Dictionary<object, object?>>(yaml);
        var env = (Dictionary<object, object?>)((Dictionary<object, object?>)back["singleuser"]!)["extraEnv"]!;

        // Then it is the same string, because it was written quoted
        env["KR_VALUE"].Should().BeOfType<string>().Which.Should().Be(value);
        QuotingOf(yaml, "KR_VALUE").Should().Be(ScalarStyle.DoubleQuoted);
    }

    [Fact]
    public void UnquotedTheSameValuesWouldComeBackAsBoolsNumbersAndNulls()
    {
        // The check above fails on the earlier rendering: the same values written plain.
        var env = YamlAmbiguous.Select(r => (string)r.Data).Where(v => v.Length > 0).ToDictionary(v => "V_" + v, v => v);
        var plain = new SerializerBuilder().Build().Serialize(new Dictionary<string, object> { ["extraEnv"] = env });

        var back = (Dictionary<object, object?>)Typed.Deserialize<Dictionary<object, object?>>(plain)["extraEnv"]!;

        back.Where(kv => kv.Value is not string).Select(kv => kv.Key).Should().Contain(new object[] { "V_true", "V_1", "V_0755", "V_null", "V_~", "V_1e3", "V_False", "V_-12" });
    }

    [Fact]
    public void NumbersAndBooleansTheChartNeedsStayPlainAndAKeyIsQuotedOnlyWhenAmbiguous()
    {
        var yaml = RenderWithEnv(new() { ["ON"] = "x", ["PLAIN_KEY"] = "y" });

        yaml.Should().Contain("http: 30080").And.Contain("uid: 1000").And.Contain("blockWithIptables: false").And.Contain("startTimeout: 180");
        yaml.Should().Contain("\"ON\": \"x\"").And.Contain("PLAIN_KEY: \"y\"").And.Contain("type: \"NodePort\"");
    }

    private static ScalarStyle? QuotingOf(string yaml, string key)
    {
        var parser = new Parser(new StringReader(yaml));
        var next = false;
        while (parser.MoveNext())
        {
            if (parser.Current is Scalar s)
            {
                if (next)
                {
                    return s.Style;
                }
                next = s.Value == key;
            }
        }
        return null;
    }

    [Fact]
    public void AReadOnlyRootGoesToContainerSecurityContextWhichKubeSpawnerMergesWithTheUserAndGroup()
    {
        // Given a launch with a read-only root file system
        var profile = LaunchProfile.Resolve("default") with { ReadOnlyRoot = true, AllowPrivilegeEscalation = false };
        var values = ChartValues.Build(ChartSpec.From(Cells.Kind("z2jh-4")), profile, "kr/singleuser:sid-default-abc123", "token-0123456789", "pw-0123456789");

        // When KubeSpawner builds the notebook container from them
        var container = KubeSpawnerSecurityContext.Of(values);

        // Then runAsUser, runAsGroup and allowPrivilegeEscalation survive beside readOnlyRootFilesystem
        container.Should().Equal(new Dictionary<string, object?>
        {
            ["runAsUser"] = 1000, ["runAsGroup"] = 100, ["allowPrivilegeEscalation"] = false, ["readOnlyRootFilesystem"] = true,
        });
    }

    [Fact]
    public void ThroughExtraContainerConfigTheSameSettingWouldDropTheUserAndGroup()
    {
        // The earlier rendering: extra_container_config.securityContext, which replaces the whole attribute.
        var values = ChartValues.Build(ChartSpec.From(Cells.Kind("z2jh-4")), LaunchProfile.Resolve("default"), "kr/singleuser:sid-default-abc123", "token-0123456789", "pw-0123456789");
        var kubeSpawner = (Dictionary<string, object?>)((Dictionary<string, object?>)((Dictionary<string, object?>)values["hub"]!)["config"]!)
            .GetValueOrDefault("KubeSpawner", new Dictionary<string, object?>())!;
        kubeSpawner["extra_container_config"] = new Dictionary<string, object?> { ["securityContext"] = new Dictionary<string, object?> { ["readOnlyRootFilesystem"] = true } };
        ((Dictionary<string, object?>)((Dictionary<string, object?>)values["hub"]!)["config"]!)["KubeSpawner"] = kubeSpawner;

        KubeSpawnerSecurityContext.Of(values).Should().Equal(new Dictionary<string, object?> { ["readOnlyRootFilesystem"] = true });
    }
}
