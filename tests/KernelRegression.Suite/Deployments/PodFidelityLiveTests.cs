using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using KernelRegression.Docker;
using KernelRegression.Images;

namespace KernelRegression.Suite.Deployments;

/// <summary>
/// What a pod does at run time, shown in the running container of the docker tier: a home that starts
/// empty as a new claim does, KubeSpawner's template fields as each version fills them, one static
/// claim mounted at several subPaths, a CPU limit above this machine's cores. Hub trixie ("launch"),
/// image bookworm (see <see cref="LaunchDeployment"/>).
/// </summary>
[RequiresTier(typeof(DockerTierProbe))]
public sealed class PodFidelityLiveTests(DockerFixture tier) : IAsyncDisposable
{
    private readonly List<Student> _students = [];
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private Task<(Student Student, KernelConnection Kernel)> LaunchAsync(LaunchDeployment deployment, string keys, string? name = null) =>
        deployment.LaunchAsync(keys, _students, Ct, name);

    [Fact]
    public async Task ANewHomeStartsEmptyAsANewClaimDoesSoAKernelspecKeptInTheImagesHomeIsGone()
    {
        var deployment = await LaunchDeployment.GetAsync(tier, Ct);
        var image = await HomeKernelspecImage.GetAsync(deployment.Image, Ct);
        var withImage = deployment with { Image = image };
        const string probe = """print(json.dumps(sorted(os.listdir(os.path.expanduser("~")))))""";

        var (bare, bareKernel) = await LaunchAsync(withImage, """{"storage": {"type": "none"}}""");
        var (fresh, freshKernel) = await LaunchAsync(withImage, """{"storage": {"type": "dynamic"}, "fs_gid": 100}""");

        var (_, bareSpecs) = await bare.Server.GetKernelSpecsAsync(Ct);
        var (_, freshSpecs) = await fresh.Server.GetKernelSpecsAsync(Ct);
        var bareHome = (await KernelReport.ReadAsync(bare, bareKernel, KernelReport.Helpers + probe, Ct)).EnumerateArray().Select(e => e.GetString()).ToList();
        var freshHome = (await KernelReport.ReadAsync(fresh, freshKernel, KernelReport.Helpers + probe, Ct)).EnumerateArray().Select(e => e.GetString()).ToList();

        bareSpecs.Should().Contain(HomeKernelspecImage.Kernel, "the image keeps a kernelspec under $HOME, seen when nothing is mounted there");
        bareHome.Should().Contain(".bashrc");
        freshSpecs.Should().NotContain(HomeKernelspecImage.Kernel, "a new claim is empty and hides the image's $HOME, as on the cluster");
        freshHome.Should().NotContain([".bashrc", ".profile"], "nothing of the image's home is copied into a new home");
    }

    [Fact]
    public async Task TemplateFieldsAreFilledAsTheChosenKubeSpawnerFillsThem()
    {
        var deployment = await LaunchDeployment.GetAsync(tier, Ct);
        var name = "ann_" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(4));
        const string probe = """
            print(json.dumps({"env": {k: v for k, v in os.environ.items() if k.startswith("KR_")},
                "default_url": os.environ.get("JUPYTERHUB_DEFAULT_URL"), "home": mount_at(os.path.expanduser("~"))}))
            """;

        var (seven, sevenKernel) = await LaunchAsync(deployment, """
            {"storage": {"type": "static", "static_sub_path": "{escaped_username}"}, "default_url": "",
             "templates": {"kubespawner": "7.0.0"},
             "env": {"KR_SAFE": "{safe_username}", "KR_USER_SERVER": "{user_server}", "KR_ESCAPED": "{escaped_username}",
                     "KR_POD": "{pod_name}", "KR_PVC": "{pvc_name}", "KR_NS": "{namespace}/{hubnamespace}", "KR_LITERAL": "{{x}}",
                     "KR_TRAILING": "a-{servername}"}}
            """, name);
        var (six, sixKernel) = await LaunchAsync(deployment, """
            {"storage": {"type": "static", "static_sub_path": "six/{username}"},
             "templates": {"kubespawner": "6.2.0"},
             "env": {"KR_USERNAME": "{username}", "KR_LEGACY": "{legacy_escape_username}", "KR_RAW": "{unescaped_username}"}}
            """, name.Replace("ann", "bob", StringComparison.Ordinal));

        var seen7 = await KernelReport.ReadAsync(seven, sevenKernel, KernelReport.Helpers + probe, Ct);
        var seen6 = await KernelReport.ReadAsync(six, sixKernel, KernelReport.Helpers + probe, Ct);

        var hex = name[4..];
        var safe = $"ann-{hex}---{Sha256(name)[..8]}";
        var env7 = seen7.GetProperty("env");
        env7.GetProperty("KR_SAFE").GetString().Should().Be(safe, "KubeSpawner 7's safe slug: not a DNS label ('_'), so dashed and hashed");
        env7.GetProperty("KR_USER_SERVER").GetString().Should().Be(safe, "the default slug scheme is 'safe'; no server name");
        env7.GetProperty("KR_ESCAPED").GetString().Should().Be($"ann-5f{hex}", "the legacy escape: '_' is -5f");
        env7.GetProperty("KR_POD").GetString().Should().Be($"jupyter-{safe}");
        env7.GetProperty("KR_PVC").GetString().Should().Be($"claim-{safe}");
        env7.GetProperty("KR_NS").GetString().Should().Be("default/user", "KubeSpawner's namespace outside a cluster, and its hubnamespace for 'default'");
        env7.GetProperty("KR_LITERAL").GetString().Should().Be("{x}");
        env7.GetProperty("KR_TRAILING").GetString().Should().Be("a", "KubeSpawner strips the '-' an empty server name leaves");
        seen7.GetProperty("default_url").ValueKind.Should().Be(JsonValueKind.Null, "an empty default_url leaves the spawner's unset, as the chart does without singleuser.defaultUrl");
        seen7.GetProperty("home").GetProperty("root").GetString().Should().EndWith($"/_data/ann-5f{hex}", "static.subPath {escaped_username}");

        var env6 = seen6.GetProperty("env");
        env6.GetProperty("KR_USERNAME").GetString().Should().Be($"bob-5f{hex}", "KubeSpawner 6.2 escapes {username}");
        env6.GetProperty("KR_LEGACY").GetString().Should().Be($"bob-{hex}");
        env6.GetProperty("KR_RAW").GetString().Should().Be("bob_" + hex);
        seen6.GetProperty("home").GetProperty("root").GetString().Should().EndWith($"/_data/six/bob-5f{hex}");
    }

    [Fact]
    public async Task OneStaticClaimMountedAtSeveralSubPathsIsOneVolumeAndIsNotRegrouped()
    {
        var deployment = await LaunchDeployment.GetAsync(tier, Ct);

        var (student, kernel) = await LaunchAsync(deployment, """
            {"storage": {"type": "static", "static_sub_path": "{username}"}, "fs_gid": 100,
             "volume_mounts": [{"name": "home", "mount_path": "/srv/shared", "sub_path": "_shared", "read_only": true},
                               {"name": "home", "mount_path": "/srv/everyone"}],
             "init_containers": [{"name": "notice", "uid": 0, "command": ["sh", "-c", "mkdir -p /all/_shared && echo posted > /all/_shared/notice.txt"],
                                  "volume_mounts": [{"name": "home", "mount_path": "/all"}]}]}
            """);

        var seen = await KernelReport.ReadAsync(student, kernel, KernelReport.Helpers + """
            import pwd
            me = os.environ["JUPYTERHUB_USER"]
            mine = write_error(os.path.expanduser("~/mine.txt"))
            root = os.stat("/srv/everyone")
            print(json.dumps({"notice": text("/srv/shared/notice.txt"), "shared_write": write_error("/srv/shared/x.txt"),
                "mine": mine, "mine_via_root": text("/srv/everyone/" + me + "/mine.txt"),
                "shared_root": mount_at("/srv/shared")["root"], "everyone_root": mount_at("/srv/everyone")["root"],
                "root_gid": root.st_gid, "root_setgid": bool(root.st_mode & stat.S_ISGID),
                "notice_gid": os.stat("/srv/shared/notice.txt").st_gid}))
            """, Ct);

        seen.GetProperty("notice").GetString().Should().Be("posted\n", "the init container's subPath-less mount is the claim's root, and _shared is a folder of it");
        seen.GetProperty("shared_write").GetString().Should().Be("EROFS", "the shared folder is mounted read-only");
        seen.GetProperty("mine").ValueKind.Should().Be(JsonValueKind.Null);
        seen.GetProperty("mine_via_root").GetString().Should().Be("written by the kernel", "the home and the whole claim are one volume");
        seen.GetProperty("shared_root").GetString().Should().EndWith($"/volumes/kr-{student.Deployment.RunId}-static/_data/_shared", "a subPath is relative to the claim's root");
        seen.GetProperty("everyone_root").GetString().Should().EndWith($"/volumes/kr-{student.Deployment.RunId}-static/_data");
        seen.GetProperty("root_gid").GetInt32().Should().Be(0, "kubelet does not apply fsGroup to an NFS volume: no chgrp of the claim");
        seen.GetProperty("root_setgid").GetBoolean().Should().BeFalse();
        seen.GetProperty("notice_gid").GetInt32().Should().Be(0, "another writer's files keep their group");
    }

    [Fact]
    public async Task ACpuLimitAboveThisMachinesCoresRunsAsOnANodeWithMore()
    {
        var deployment = await LaunchDeployment.GetAsync(tier, Ct);

        var (student, kernel) = await LaunchAsync(deployment, """{"cpu_limit": 64, "cpu_guarantee": 0.5}""");

        var cpu = await KernelReport.ReadAsync(student, kernel, KernelReport.Helpers + """
            def first(*paths):
                for p in paths:
                    if os.path.exists(p):
                        return open(p).read().strip()
            if os.path.exists("/sys/fs/cgroup/cgroup.controllers"):
                quota, period = first("/sys/fs/cgroup/cpu.max").split()
            else:
                quota = first("/sys/fs/cgroup/cpu/cpu.cfs_quota_us", "/sys/fs/cgroup/cpu,cpuacct/cpu.cfs_quota_us")
                period = first("/sys/fs/cgroup/cpu/cpu.cfs_period_us", "/sys/fs/cgroup/cpu,cpuacct/cpu.cfs_period_us")
            print(json.dumps({"cpus": int(quota) / int(period), "limit_env": os.environ.get("CPU_LIMIT")}))
            """, Ct);

        cpu.GetProperty("cpus").GetDouble().Should().Be(64, "the CFS quota of 64 CPUs, as kubelet sets it (Docker's --cpus refuses more than the host has)");
        cpu.GetProperty("limit_env").GetString().Should().Be("64.0", "JupyterHub puts the spawner's cpu_limit in the env");
    }

    [Fact]
    public async Task AContainerEnvThatReplacesTheWholeEnvLeavesTheServerWithoutItsHubAsOnTheCluster()
    {
        var deployment = await LaunchDeployment.GetAsync(tier, Ct);

        var launch = () => LaunchAsync(deployment, """{"env_replaces_hub": true, "env": {"KR_ONLY": "1"}}""");

        var failed = (await launch.Should().ThrowAsync<SpawnFailedException>("extra_container_config.env wipes JupyterHub's variables: the server cannot start")).Which;
        failed.Cause.Should().Contain("JUPYTERHUB_API_TOKEN", $"the server's own last words name what is missing: {failed.Message}");
    }

    private static string Sha256(string text) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)));

    public async ValueTask DisposeAsync()
    {
        foreach (var student in _students)
        {
            await student.DisposeAsync();
        }
    }
}

/// <summary>
/// The suite's bookworm image with a kernelspec kept under $HOME (~/.local/share/jupyter/kernels), as
/// images that install a kernel with `--user` have: built once per base image, tagged by its id.
/// </summary>
internal static class HomeKernelspecImage
{
    public const string Kernel = "kr-home-kernel";

    public static async Task<string> GetAsync(string baseImage, CancellationToken ct)
    {
        var id = await DockerEngine.ImageIdAsync(baseImage, ct) ?? throw new InvalidOperationException($"{baseImage} is gone");
        var tag = $"kr/test-home-kernelspec:{id.Replace("sha256:", "", StringComparison.Ordinal)[..12]}";
        if (await DockerEngine.ImageExistsAsync(tag, ct))
        {
            return tag;
        }
        var dockerfile = $$"""
            FROM {{baseImage}}
            LABEL {{DockerEngine.OwnerLabel}}={{DockerEngine.Owner}}
            RUN mkdir -p "$HOME/.local/share/jupyter/kernels/{{Kernel}}" \
             && printf '%s' '{"argv": ["python3", "-m", "ipykernel_launcher", "-f", "{connection_file}"], "display_name": "kept in $HOME", "language": "python"}' \
                > "$HOME/.local/share/jupyter/kernels/{{Kernel}}/kernel.json"
            """;
        using var context = BuildContext.OfDockerfile(dockerfile);
        await ImageBuild.RunAsync(tag, context, "Dockerfile", new Dictionary<string, string>(), "docker build of " + tag, Deadline.Of(300),
            "check `docker info`", _ => { }, ct);
        return tag;
    }
}
