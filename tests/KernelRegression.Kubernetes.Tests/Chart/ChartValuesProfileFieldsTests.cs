using KernelRegression.Kubernetes.Chart;
using YamlDotNet.Serialization;

namespace KernelRegression.Kubernetes.Tests.Chart;

/// <summary>
/// Every launch-profile field reaches the chart values (or is refused naming the field): the values are
/// read back as helm would (YAML 1.1 types) and checked where the chart's jupyterhub_config.py reads them.
/// </summary>
public sealed class ChartValuesProfileFieldsTests
{
    private static readonly IDeserializer Typed = new DeserializerBuilder().WithAttemptingUnquotedStringTypeDeserialization().Build();

    private static Dictionary<object, object?> Values(LaunchProfile profile) =>
        Typed.Deserialize<Dictionary<object, object?>>(
            ChartValues.Render(ChartSpec.From(Cells.Kind("z2jh-4")), profile, "kr/singleuser:sid-default-abc123", "token-0123456789", "pw-0123456789"));

    private static LaunchProfile Default(string name = "fields") => LaunchProfile.Resolve("default") with { Name = name };

    private static object? At(Dictionary<object, object?> root, string path)
    {
        object? node = root;
        foreach (var key in path.Split('.'))
        {
            node = node is Dictionary<object, object?> d && d.TryGetValue(key, out var v) ? v : null;
        }
        return node;
    }

    private static bool Has(Dictionary<object, object?> root, string path)
    {
        var parent = path.Contains('.') ? At(root, path[..path.LastIndexOf('.')]) : root;
        return parent is Dictionary<object, object?> d && d.ContainsKey(path[(path.LastIndexOf('.') + 1)..]);
    }

    [Fact]
    public void FsGidIsTheProfilesFsGidNotItsGid()
    {
        At(Values(Default() with { Gid = 100, FsGid = 2000 }), "singleuser.fsGid").Should().Be(2000);
    }

    [Fact]
    public void NoFsGidIsANullThatDeletesTheChartsDefaultOf100()
    {
        var v = Values(Default() with { Gid = 100, FsGid = null });

        Has(v, "singleuser.fsGid").Should().BeTrue("a missing key would keep the chart's fsGid 100");
        At(v, "singleuser.fsGid").Should().BeNull();
    }

    [Fact]
    public void MemoryAndCpuGuaranteesAreWritten()
    {
        var v = Values(Default() with { MemGuarantee = "512M", CpuGuarantee = 0.25 });

        At(v, "singleuser.memory.guarantee").Should().Be("512M");
        At(v, "singleuser.cpu.guarantee").Should().Be(0.25);
    }

    [Fact]
    public void SizesInKiMiGiAreWrittenTheWayJupyterHubReadsThem()
    {
        // JupyterHub's ByteSpecification refuses "256Mi" and reads "256M" as 256 * 1024 * 1024.
        var v = Values(Default() with { MemLimit = "256Mi", MemGuarantee = "536870912" });

        At(v, "singleuser.memory.limit").Should().Be("256M");
        At(v, "singleuser.memory.guarantee").Should().Be(536870912);
    }

    [Theory]
    [InlineData(false, false)]
    [InlineData(true, true)]
    public void AllowPrivilegeEscalationIsWritten(bool allow, bool expected)
    {
        At(Values(Default() with { AllowPrivilegeEscalation = allow }), "singleuser.allowPrivilegeEscalation").Should().Be(expected);
    }

    [Fact]
    public void AllowPrivilegeEscalationNotSetIsANullSoKubeSpawnerLeavesItOut()
    {
        var v = Values(Default() with { AllowPrivilegeEscalation = null });

        Has(v, "singleuser.allowPrivilegeEscalation").Should().BeTrue("a missing key keeps the chart's false");
        At(v, "singleuser.allowPrivilegeEscalation").Should().BeNull();
    }

    [Fact]
    public void NoStorageIsAPerUserDynamicHomeAtItsMountPath()
    {
        var v = Values(Default() with { Storage = null });

        At(v, "singleuser.storage.type").Should().Be("dynamic");
        At(v, "singleuser.storage.homeMountPath").Should().Be("/home/jovyan");
    }

    [Fact]
    public void StorageNoneIsNone()
    {
        At(Values(Default() with { Storage = new HomeStorage { Type = HomeStorage.None } }), "singleuser.storage.type").Should().Be("none");
    }

    [Fact]
    public void StaticStorageIsRefusedNamingWhatTheClusterLacks()
    {
        var act = () => Values(Default() with { Storage = new HomeStorage { Type = HomeStorage.Static, StaticSubPath = "{username}" } });

        act.Should().Throw<HarnessException>().WithMessage("*storage type static*").Which.Fix.Should().Contain("pvcName");
    }

    [Fact]
    public void EmptyDirVolumesAndTheirMountsAreExtraVolumesAndMountsAndHomeIsNamedForTheMount()
    {
        var v = Values(Default() with
        {
            Volumes = [new LaunchVolume { Name = "scratch", Type = "emptyDir" }],
            VolumeMounts =
            [
                new LaunchVolumeMount { Name = "scratch", MountPath = "/scratch" },
                new LaunchVolumeMount { Name = "home", MountPath = "/home/jovyan/shared", SubPath = "_shared", ReadOnly = true },
            ],
        });

        var volumes = (List<object>)At(v, "singleuser.storage.extraVolumes")!;
        ((Dictionary<object, object?>)volumes.Single())["name"].Should().Be("scratch");
        var mounts = ((List<object>)At(v, "singleuser.storage.extraVolumeMounts")!).Cast<Dictionary<object, object?>>().ToList();
        mounts.Select(m => m["mountPath"]).Should().Equal("/scratch", "/home/jovyan/shared");
        mounts[1]["subPath"].Should().Be("_shared");
        mounts[1]["readOnly"].Should().Be(true);
        At(v, "singleuser.storage.dynamic.volumeNameTemplate").Should().Be("home");
    }

    [Theory]
    [InlineData("configMap")]
    [InlineData("secret")]
    [InlineData("hostPath")]
    public void AVolumeTheChartCannotMakeIsRefusedNamingIt(string type)
    {
        var act = () => Values(Default() with
        {
            Volumes = [new LaunchVolume { Name = "course", Type = type, Files = new() { ["a.txt"] = "a" } }],
        });

        act.Should().Throw<HarnessException>().WithMessage($"*volume 'course' of type {type}*");
    }

    [Fact]
    public void ExtraFilesAreSingleuserExtraFilesWithTheirPathModeAndContent()
    {
        var v = Values(Default() with { ExtraFiles = [new LaunchFile { MountPath = "/etc/jupyter/jupyter_server_config.json", Mode = 292, Content = "{\"a\": 1}" }] });

        var files = (Dictionary<object, object?>)At(v, "singleuser.extraFiles")!;
        var file = (Dictionary<object, object?>)files.Values.Single()!;
        file["mountPath"].Should().Be("/etc/jupyter/jupyter_server_config.json");
        file["mode"].Should().Be(292);
        file["stringData"].Should().Be("{\"a\": 1}");
    }

    [Fact]
    public void PostStartIsTheLifecycleHookAsWritten()
    {
        var v = Values(Default() with { PostStart = ["sh", "-c", "cp -r /tmp/foo ${HOME}"] });

        ((List<object>)At(v, "singleuser.lifecycleHooks.postStart.exec.command")!).Should().Equal("sh", "-c", "cp -r /tmp/foo ${HOME}");
    }

    [Fact]
    public void InitContainersAreWrittenWithBracesDoubledForKubeSpawnersFormat()
    {
        var v = Values(Default() with
        {
            InitContainers =
            [
                new LaunchInitContainer
                {
                    Name = "fix-home", Command = ["sh", "-c", "chown 1000 ${HOME}"], Env = new() { ["MODE"] = "0755" }, Uid = 0,
                    VolumeMounts = [new LaunchVolumeMount { Name = "home", MountPath = "/home/jovyan" }],
                },
            ],
        });

        var c = (Dictionary<object, object?>)((List<object>)At(v, "singleuser.initContainers")!).Single();
        c["name"].Should().Be("fix-home");
        c["image"].Should().Be("kr/singleuser:sid-default-abc123", "an init container without an image runs the cell's");
        ((List<object>)c["command"]!).Should().Equal("sh", "-c", "chown 1000 ${{HOME}}");
        ((Dictionary<object, object?>)((List<object>)c["env"]!).Single())["value"].Should().Be("0755");
        ((Dictionary<object, object?>)c["securityContext"]!)["runAsUser"].Should().Be(0);
        ((Dictionary<object, object?>)((List<object>)c["volumeMounts"]!).Single())["name"].Should().Be("home");
    }

    [Fact]
    public void DefaultUrlIsWrittenAndNoneIsANull()
    {
        At(Values(Default() with { DefaultUrl = "/lab" }), "singleuser.defaultUrl").Should().Be("/lab");
        Has(Values(Default() with { DefaultUrl = null }), "singleuser.defaultUrl").Should().BeTrue();
    }

    [Fact]
    public void LabelsAreExtraLabelsWithTheProfilesNameAsTheDockerTierAddsIt()
    {
        var v = Values(Default("lab-course") with { Labels = new() { ["course"] = "data8" } });

        At(v, "singleuser.extraLabels.course").Should().Be("data8");
        ((Dictionary<object, object?>)At(v, "singleuser.extraLabels")!)["org.kernelregression.profile"].Should().Be("lab-course");
    }

    [Fact]
    public void EnvValuesKeepTheirBracesThroughKubeSpawnersFormat()
    {
        At(Values(Default() with { Env = new() { ["CONFIG"] = "{\"a\": 1}" } }), "singleuser.extraEnv.CONFIG").Should().Be("{{\"a\": 1}}");
    }
}
