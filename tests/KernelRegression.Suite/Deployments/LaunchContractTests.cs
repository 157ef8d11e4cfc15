using System.Text.Json;
using KernelRegression.Docker;

namespace KernelRegression.Suite.Deployments;

/// <summary>
/// The launch contract of the docker tier's container spawner (fixtures/hub/kr_container_spawner.py),
/// key by key, each proved where it matters: in the running kernel, by code it runs. Hub trixie (a hub
/// of its own, "launch"), image bookworm.
/// </summary>
[RequiresTier(typeof(DockerTierProbe))]
public sealed class LaunchContractTests(DockerFixture tier, FullLaunch full) : IClassFixture<FullLaunch>, IAsyncDisposable
{
    private readonly List<Student> _students = [];
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private async Task<JsonElement> FullLaunchReportAsync(string python)
    {
        var (student, kernel) = await full.GetAsync(tier);
        return await KernelReport.ReadAsync(student, kernel, KernelReport.Helpers + python, Ct);
    }

    private async Task<(Student Student, KernelConnection Kernel)> LaunchAsync(string keys) =>
        await (await LaunchDeployment.GetAsync(tier, Ct)).LaunchAsync(keys, _students, Ct);

    [Fact]
    public async Task TheEnvironmentReachesTheKernelWithReferencesExpandedAsKubernetesExpandsThem()
    {
        var env = await FullLaunchReportAsync("""
            print(json.dumps({k: os.environ.get(k) for k in ["KR_COURSE", "KR_COURSE_ID", "KR_OWNER", "KR_PRICE",
                "KR_UNSET", "KR_TOO_EARLY", "KR_LATER", "KR_MEMORY", "JUPYTERHUB_USER", "JUPYTERHUB_DEFAULT_URL",
                "MEM_LIMIT", "MEM_GUARANTEE", "CPU_LIMIT", "CPU_GUARANTEE"]}))
            """);

        env.GetProperty("KR_COURSE").GetString().Should().Be("physics");
        env.GetProperty("KR_COURSE_ID").GetString().Should().Be("physics-101", "a reference to an earlier entry is expanded");
        env.GetProperty("KR_OWNER").GetString().Should().Be(env.GetProperty("JUPYTERHUB_USER").GetString(), "the hub's env comes first and can be referenced");
        env.GetProperty("KR_PRICE").GetString().Should().Be("$(KR_COURSE)", "$$ escapes a $");
        env.GetProperty("KR_UNSET").GetString().Should().Be("$(KR_NOT_DEFINED)", "an undefined reference stays as written");
        env.GetProperty("KR_TOO_EARLY").GetString().Should().Be("$(KR_LATER)", "a reference sees only the entries before it");
        env.GetProperty("KR_LATER").GetString().Should().Be("later");
        env.GetProperty("JUPYTERHUB_DEFAULT_URL").GetString().Should().Be("/tree/course", "default_url is the spawner's, which JupyterHub passes in the env");
        env.GetProperty("MEM_LIMIT").GetString().Should().Be("734003200", "JupyterHub's Spawner.get_env puts the limits in the env, as the hub does on Kubernetes");
        env.GetProperty("MEM_GUARANTEE").GetString().Should().Be("314572800");
        env.GetProperty("CPU_LIMIT").GetString().Should().Be("0.5");
        env.GetProperty("CPU_GUARANTEE").GetString().Should().Be("0.25");
        env.GetProperty("KR_MEMORY").GetString().Should().Be("734003200 bytes", "$(MEM_LIMIT) expands from the hub's entry, which comes first");
    }

    [Fact]
    public async Task TheKernelRunsAsTheUidAndGidWithTheFsGroupWhichOwnsTheHome()
    {
        var ids = await FullLaunchReportAsync("""
            home = os.path.expanduser("~")
            with open(os.path.join(home, "kernel-file"), "w") as f:
                f.write("x")
            st, made = os.stat(home), os.stat(os.path.join(home, "kernel-file"))
            print(json.dumps({"uid": os.getuid(), "gid": os.getgid(), "groups": os.getgroups(), "home": home,
                "home_gid": st.st_gid, "home_setgid": bool(st.st_mode & stat.S_ISGID), "new_file_gid": made.st_gid}))
            """);

        ids.GetProperty("uid").GetInt32().Should().Be(4242);
        ids.GetProperty("gid").GetInt32().Should().Be(4343);
        ids.GetProperty("groups").EnumerateArray().Select(g => g.GetInt32()).Should().Contain(2000, "fs_gid is a supplementary group of the server");
        ids.GetProperty("home").GetString().Should().Be("/home/jovyan");
        ids.GetProperty("home_gid").GetInt32().Should().Be(2000, "kubelet gives the volumes to the fsGroup");
        ids.GetProperty("home_setgid").GetBoolean().Should().BeTrue("kubelet sets setgid on the volumes' directories");
        ids.GetProperty("new_file_gid").GetInt32().Should().Be(2000, "a file the kernel makes in the home inherits the fsGroup");
    }

    [Fact]
    public async Task TheMemoryAndCpuLimitsAreTheKernelsOwnCgroupLimits()
    {
        var cgroup = await FullLaunchReportAsync("""
            def first(*paths):
                for p in paths:
                    if os.path.exists(p):
                        return open(p).read().strip()
                return None
            v2 = os.path.exists("/sys/fs/cgroup/cgroup.controllers")
            if v2:
                quota, period = first("/sys/fs/cgroup/cpu.max").split()
                report = {"version": 2, "memory": int(first("/sys/fs/cgroup/memory.max")),
                    "soft": int(first("/sys/fs/cgroup/memory.low")), "cpus": int(quota) / int(period),
                    "weight": int(first("/sys/fs/cgroup/cpu.weight"))}
            else:
                report = {"version": 1, "memory": int(first("/sys/fs/cgroup/memory/memory.limit_in_bytes")),
                    "soft": int(first("/sys/fs/cgroup/memory/memory.soft_limit_in_bytes")),
                    "cpus": int(first("/sys/fs/cgroup/cpu/cpu.cfs_quota_us", "/sys/fs/cgroup/cpu,cpuacct/cpu.cfs_quota_us"))
                        / int(first("/sys/fs/cgroup/cpu/cpu.cfs_period_us", "/sys/fs/cgroup/cpu,cpuacct/cpu.cfs_period_us")),
                    "shares": int(first("/sys/fs/cgroup/cpu/cpu.shares", "/sys/fs/cgroup/cpu,cpuacct/cpu.shares"))}
            print(json.dumps(report))
            """);

        cgroup.GetProperty("memory").GetInt64().Should().Be(700L * 1024 * 1024, "mem_limit 700M is the cgroup's memory limit");
        cgroup.GetProperty("cpus").GetDouble().Should().Be(0.5, "cpu_limit 0.5 is a CFS quota of half the period");
        if (cgroup.GetProperty("version").GetInt32() == 1)
        {
            cgroup.GetProperty("soft").GetInt64().Should().Be(300L * 1024 * 1024, "mem_guarantee is the memory reservation (soft limit)");
            cgroup.GetProperty("shares").GetInt32().Should().Be(256, "kubelet turns a 0.25 CPU request into 256 shares");
        }
        else
        {
            cgroup.GetProperty("soft").GetInt64().Should().Be(300L * 1024 * 1024, "mem_guarantee is the memory reservation (memory.low)");
            cgroup.GetProperty("weight").GetInt32().Should().Be(1 + ((256 - 2) * 9999 / 262142), "256 shares as a cgroup v2 weight");
        }
    }

    [Fact]
    public async Task TheKernelRunsInTheWorkingDirectory()
    {
        var cwd = await FullLaunchReportAsync("""print(json.dumps(os.getcwd()))""");

        cwd.GetString().Should().Be("/srv/work");
    }

    [Fact]
    public async Task MountedFilesReachTheKernelWithTheirContentsAndReadOnlyMountsRefuseWrites()
    {
        var files = await FullLaunchReportAsync("""
            def mode(p):
                return oct(stat.S_IMODE(os.stat(p).st_mode))
            print(json.dumps({
                "extra_file": text("/etc/kr/course.json"), "extra_file_mode": mode("/etc/kr/course.json"),
                "extra_file_write": write_error("/etc/kr/course.json"),
                "config_readme": text("/srv/course/README.md"), "config_csv": text("/srv/course/data/measurements.csv"),
                "config_mode": mode("/srv/course/README.md"), "config_gid": os.stat("/srv/course/README.md").st_gid,
                "config_write": write_error("/srv/course/new.txt"),
                "sub_path_file": text("/srv/syllabus.md"),
                "from_init": text("/srv/scratch/from-init.md"),
                "scratch_write": write_error("/srv/scratch/kernel.txt"),
                "scratch_ro_sees_it": text("/srv/scratch-ro/kernel.txt"),
                "scratch_ro_write": write_error("/srv/scratch-ro/other.txt"),
                "notes_write": write_error("/srv/notes/lecture-1.md"),
                "notes_in_home": text(os.path.expanduser("~/notes/lecture-1.md")),
            }))
            """);

        files.GetProperty("extra_file").GetString().Should().Be("{\"course\": \"physics\"}");
        files.GetProperty("extra_file_mode").GetString().Should().Be("0o444", "extra_files mode 292 = 0444 (group read is in it already)");
        files.GetProperty("extra_file_write").GetString().Should().Be("EROFS", "extra files are mounted read-only");
        files.GetProperty("config_readme").GetString().Should().Be("# Physics 101\n");
        files.GetProperty("config_csv").GetString().Should().Be("t,x\n0,1\n");
        files.GetProperty("config_mode").GetString().Should().Be("0o640", "default_mode 416 = 0640");
        files.GetProperty("config_gid").GetInt32().Should().Be(2000, "kubelet gives a configMap volume's files to the fsGroup");
        files.GetProperty("config_write").GetString().Should().Be("EROFS", "a configMap volume is always read-only");
        files.GetProperty("sub_path_file").GetString().Should().Be("# Physics 101\n", "a sub_path mount of one file of the volume");
        files.GetProperty("from_init").GetString().Should().Be("# Physics 101\n", "the init container copied it into the emptyDir the server shares");
        files.GetProperty("scratch_write").ValueKind.Should().Be(JsonValueKind.Null, "the emptyDir is writable through the fsGroup");
        files.GetProperty("scratch_ro_sees_it").GetString().Should().Be("written by the kernel", "both mounts are one volume");
        files.GetProperty("scratch_ro_write").GetString().Should().Be("EROFS", "the same volume mounted read_only refuses writes");
        files.GetProperty("notes_write").ValueKind.Should().Be(JsonValueKind.Null, "the sub_path directory was created, writable, as kubelet creates it");
        files.GetProperty("notes_in_home").GetString().Should().Be("written by the kernel", "the sub_path mount is the home's notes directory");
    }

    [Fact]
    public async Task ThePostStartHookAndTheInitContainerLeftTheirMarksInTheHome()
    {
        var marks = await FullLaunchReportAsync("""
            print(json.dumps({"post_start": text(os.path.expanduser("~/post-start-mark")), "init": text(os.path.expanduser("~/init-mark"))}))
            """);

        marks.GetProperty("post_start").GetString().Should().Be("4242 4343 2000\n", "the hook ran as the server's user: uid, gid and the fsGroup");
        marks.GetProperty("init").GetString().Should().Be("hello from 1000\n",
            "the init container ran as its image's user with $(KR_GREETING) expanded from its env, and $(id -u) left to its shell");
    }

    [Fact]
    public async Task TheRootFilesystemIsReadOnlyAndPrivilegeEscalationIsOffButTheHomeIsWritable()
    {
        var fs = await FullLaunchReportAsync("""
            status = dict(line.split(":\t", 1) for line in open("/proc/self/status").read().splitlines() if ":\t" in line)
            print(json.dumps({"root_write": write_error("/opt/kernel.txt"), "tmp_write": write_error("/tmp/kernel.txt"),
                "home_write": write_error(os.path.expanduser("~/kernel.txt")), "no_new_privs": status.get("NoNewPrivs", "").strip()}))
            """);

        fs.GetProperty("root_write").GetString().Should().Be("EROFS");
        fs.GetProperty("tmp_write").GetString().Should().Be("EROFS", "readOnlyRootFilesystem leaves no writable /tmp either");
        fs.GetProperty("home_write").ValueKind.Should().Be(JsonValueKind.Null);
        fs.GetProperty("no_new_privs").GetString().Should().Be("1", "allow_privilege_escalation false is no-new-privileges");
    }

    [Fact]
    public async Task UnderTheImagesOwnEntrypointAndCmdTheServerIsNotPid1()
    {
        var pids = await FullLaunchReportAsync("""
            print(json.dumps({"server_pid": os.getppid(), "pid1": open("/proc/1/cmdline").read().split("\0")}))
            """);

        pids.GetProperty("server_pid").GetInt32().Should().NotBe(1);
        pids.GetProperty("pid1").EnumerateArray().Select(a => a.GetString()).Should().Contain("/usr/local/bin/start-singleuser.sh");
    }

    [Fact]
    public async Task UnderAKubernetesCommandTheServerIsPid1TheImageCmdIsDroppedAndArgsAreExpanded()
    {
        var (student, kernel) = await LaunchAsync("""
            {"command": ["jupyterhub-singleuser"], "args": ["--ip=0.0.0.0", "--port=$(KR_PORT)"], "env": {"KR_PORT": "8888"}}
            """);

        var pids = await KernelReport.ReadAsync(student, kernel, KernelReport.Helpers + """
            print(json.dumps({"server_pid": os.getppid(), "pid1": [a for a in open("/proc/1/cmdline").read().split("\0") if a]}))
            """, Ct);

        var pid1 = pids.GetProperty("pid1").EnumerateArray().Select(a => a.GetString()!).ToList();
        pids.GetProperty("server_pid").GetInt32().Should().Be(1, "command replaces the image's entrypoint and CMD: the server is PID 1");
        pid1.Should().Contain(a => a.EndsWith("/jupyterhub-singleuser"));
        pid1.Should().EndWith(["--ip=0.0.0.0", "--port=8888"], "args follow the command, $(KR_PORT) expanded from the env");
        pid1.Should().NotContain("/usr/local/bin/start-singleuser.sh", "a command drops the image's CMD");
    }

    [Fact]
    public async Task WithStorageNoneNothingIsMountedAtTheHomeAndServerVolumesGoWithTheServer()
    {
        var (student, kernel) = await LaunchAsync("""
            {"storage": {"type": "none"}, "volumes": [{"name": "scratch", "type": "emptyDir"}],
             "volume_mounts": [{"name": "scratch", "mount_path": "/srv/scratch"}],
             "init_containers": [{"name": "touch", "command": ["touch", "/scratch/mark"],
               "volume_mounts": [{"name": "scratch", "mount_path": "/scratch"}]}]}
            """);
        var user = $"org.kernelregression.user={student.Name}";
        var run = $"{DockerEngine.RunLabel}={student.Deployment.RunId}";

        var report = await KernelReport.ReadAsync(student, kernel, KernelReport.Helpers + """
            print(json.dumps({"home_mount": mount_at(os.path.expanduser("~")), "scratch_mount": mount_at("/srv/scratch"),
                "mark": os.path.exists("/srv/scratch/mark")}))
            """, Ct);
        var volumesWhileRunning = await DockerEngine.VolumeNamesAsync([run, user], Ct);
        var initWhileRunning = await DockerEngine.ContainerIdsAsync([run, user, "org.kernelregression.role=init"], Ct);
        await student.Deployment.Hub.StopServerAsync(student.Name, "", Ct);
        var volumesAfterStop = await DockerEngine.VolumeNamesAsync([run, user], Ct);
        var initAfterStop = await DockerEngine.ContainerIdsAsync([run, user], Ct);

        report.GetProperty("home_mount").ValueKind.Should().Be(JsonValueKind.Null, "storage none mounts nothing at the home");
        report.GetProperty("scratch_mount").ValueKind.Should().Be(JsonValueKind.Object, "the check does see a mount where there is one");
        report.GetProperty("mark").GetBoolean().Should().BeTrue();
        volumesWhileRunning.Should().Equal([$"kr-{student.Deployment.RunId}-{student.Name}-vol-scratch"], "the emptyDir is a volume labelled with the run, and no home volume was made");
        initWhileRunning.Should().HaveCount(1, "the finished init container stays while the server lives, as in a pod");
        volumesAfterStop.Should().BeEmpty("an emptyDir lives as long as its server");
        initAfterStop.Should().BeEmpty("the server's init containers go with it");
    }

    [Fact]
    public async Task WithStaticStorageTwoUsersGetTheirOwnSubdirectoriesOfOneVolume()
    {
        const string keys = """{"storage": {"type": "static", "static_sub_path": "{username}"}, "fs_gid": 100}""";
        const string probe = """
            home = os.path.expanduser("~")
            print(json.dumps({"mount": mount_at(home), "write": write_error(os.path.join(home, os.environ["JUPYTERHUB_USER"] + ".txt")),
                "listing": sorted(os.listdir(home))}))
            """;
        var (ann, annKernel) = await LaunchAsync(keys);
        var (bob, bobKernel) = await LaunchAsync(keys);

        var annHome = await KernelReport.ReadAsync(ann, annKernel, KernelReport.Helpers + probe, Ct);
        var bobHome = await KernelReport.ReadAsync(bob, bobKernel, KernelReport.Helpers + probe, Ct);
        var annAgain = await KernelReport.ReadAsync(ann, annKernel, KernelReport.Helpers + probe, Ct);

        var volume = $"/volumes/kr-{ann.Deployment.RunId}-static/_data/";
        annHome.GetProperty("mount").GetProperty("root").GetString().Should().EndWith(volume + ann.Name, "the kernel's home is its user's subdirectory of the run's static volume");
        bobHome.GetProperty("mount").GetProperty("root").GetString().Should().EndWith(volume + bob.Name, "the other user's home is another subdirectory of the same volume");
        annHome.GetProperty("write").ValueKind.Should().Be(JsonValueKind.Null, "the created subdirectory has the mode of the share's root (0777), as kubelet creates a subPath");
        bobHome.GetProperty("write").ValueKind.Should().Be(JsonValueKind.Null);
        var annFiles = annAgain.GetProperty("listing").EnumerateArray().Select(e => e.GetString()).ToList();
        annFiles.Should().Contain(ann.Name + ".txt").And.NotContain(bob.Name + ".txt", "each user sees only their own directory");
    }

    [Fact]
    public async Task AFailingInitContainerFailsTheSpawnWithItsOwnOutputAsTheCause()
    {
        var deployment = await LaunchDeployment.GetAsync(tier, Ct);
        var options = deployment.Options("""
            {"init_containers": [{"name": "install-course-tools", "command": ["python3", "-c", "import course_tools"]}]}
            """);

        var spawn = () => Student.SpawnAsync(deployment.Hub, Ct, userOptions: options);

        var failure = (await spawn.Should().ThrowAsync<SpawnFailedException>()).Which;
        TestContext.Current.AddAttachment("spawn failure", failure.Message);
        failure.Cause.Should().Contain("No module named 'course_tools'", "the cause is the init container's own last words");
    }

    [Fact]
    public async Task AFailingPostStartHookFailsTheSpawnWithItsOwnOutputAsTheCause()
    {
        var deployment = await LaunchDeployment.GetAsync(tier, Ct);
        var options = deployment.Options("""
            {"post_start": ["cp", "/srv/course/missing.ipynb", "/home/jovyan/"]}
            """);

        var spawn = () => Student.SpawnAsync(deployment.Hub, Ct, userOptions: options);

        var failure = (await spawn.Should().ThrowAsync<SpawnFailedException>()).Which;
        TestContext.Current.AddAttachment("spawn failure", failure.Message);
        failure.Cause.Should().Contain("cannot stat '/srv/course/missing.ipynb'", "the cause is the hook's own output");
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var student in _students)
        {
            await student.DisposeAsync();
        }
    }
}
