using System.Text.Json.Nodes;

namespace KernelRegression.Tests.Deployments;

/// <summary>The launch JSON the container spawner reads: every key of the contract, snake_case, null for not set.</summary>
public sealed class LaunchContractTests
{
    private static readonly string[] ContractKeys =
    [
        "image", "command", "args", "env", "env_replaces_hub", "uid", "gid", "fs_gid", "working_dir", "init", "mem_limit", "mem_guarantee", "cpu_limit",
        "cpu_guarantee", "read_only_root", "allow_privilege_escalation", "volumes", "volume_mounts", "extra_files", "post_start",
        "init_containers", "default_url", "labels",
    ];

    [Fact]
    public void AShippedProfileEmitsEveryKeyAndNoStorageSoTodaysHomeStays()
    {
        var json = LaunchProfile.Resolve("default").ToSpawnerJson("kr/singleuser:x");

        json.Select(kv => kv.Key).Should().BeEquivalentTo(ContractKeys);
        json["storage"].Should().BeNull();
        json["volumes"]!.AsArray().Should().BeEmpty();
        json["allow_privilege_escalation"].Should().BeNull();
        json["post_start"].Should().BeNull();
    }

    [Fact]
    public void TheSamplesCellEmitsTheWholeContract()
    {
        var cell = DeploymentValues.Load([Values.Sample("common.yaml"), Values.Sample("staging.yaml")], Values.SampleOptions).Cells[0];

        var json = cell.Launch.ToSpawnerJson("kr/singleuser:bookworm-pre-pr233-abc");

        json.Select(kv => kv.Key).Should().BeEquivalentTo([.. ContractKeys, "storage", "templates"]);
        JsonNode.DeepEquals(json["storage"], JsonNode.Parse("""{"type":"dynamic","home_mount_path":"/home/jovyan","static_sub_path":null}""")).Should().BeTrue();
        json["env"]!.AsObject().Select(kv => kv.Key).Should().Equal("COURSE", "COURSE_DATA", "COURSE_ENV", "JUPYTER_IMAGE", "JUPYTER_IMAGE_SPEC", "COURSE_HOME");
        json["env"]!["COURSE_HOME"]!.ToString().Should().Be("$(COURSE_DATA)/$(COURSE)");
        json["args"]!.AsArray().Select(a => a!.ToString()).Should().Equal("start-singleuser.sh");
        (json["uid"]!.GetValue<int>(), json["fs_gid"]!.GetValue<int>(), json["gid"]).Should().Be((1000, 100, null));
        (json["mem_limit"]!.ToString(), json["mem_guarantee"]!.ToString()).Should().Be(("1073741824", "536870912"));
        JsonNode.DeepEquals(json["volumes"]![1], JsonNode.Parse("""
            {"name":"course-data","type":"configMap","files":{"grading.txt":"Labs 50%, projects 30%, final 20%.\n",
             "syllabus.md":"# Data 101 syllabus\nWeek 1: tables. Week 2: charts. Week 3: sampling.\n"},"default_mode":420}
            """)).Should().BeTrue(json["volumes"]![1]!.ToJsonString());
        JsonNode.DeepEquals(json["volume_mounts"]![1], JsonNode.Parse("""{"name":"course-data","mount_path":"/srv/data","sub_path":null,"read_only":true}""")).Should().BeTrue();
        JsonNode.DeepEquals(json["extra_files"]![0], JsonNode.Parse("""{"mount_path":"/etc/course/settings.json","mode":420,"content":"{\"autograde\":true,\"course\":\"data-101\",\"week\":1}\n"}""")).Should().BeTrue();
        json["extra_files"]![1]!["mode"]!.GetValue<int>().Should().Be(292);
        json["post_start"]!.AsArray().Select(a => a!.ToString()).Should().Equal("sh", "-c", "date -u > /home/jovyan/.post-start-ran");
        JsonNode.DeepEquals(json["init_containers"]![0], JsonNode.Parse("""
            {"name":"seed-home","image":null,"command":["sh","-c","mkdir -p /home/jovyan/notebooks && date -u > /home/jovyan/.init-ran"],
             "args":null,"env":{},"volume_mounts":[{"name":"home","mount_path":"/home/jovyan","sub_path":null,"read_only":false}],"uid":null,"gid":null}
            """)).Should().BeTrue(json["init_containers"]![0]!.ToJsonString());
        json["default_url"]!.ToString().Should().Be("/tree");
        json["labels"]!["org.kernelregression.profile"]!.ToString().Should().Be("values-staging/profile-python-default");
    }

    [Fact]
    public void AProfileFileCanWriteTheNewFieldsToo()
    {
        using var dir = new TempDir("kr-profile-");
        var path = dir.Write("full.yaml", """
            args: [start.sh]
            fs_gid: 100
            mem_guarantee: 512M
            allow_privilege_escalation: false
            storage: {type: static, home_mount_path: /home/jovyan, static_sub_path: "{username}"}
            volumes: [{name: scratch, type: emptyDir}]
            volume_mounts: [{name: scratch, mount_path: /scratch}, {name: home, mount_path: /data, sub_path: data}]
            extra_files: [{mount_path: /etc/x, mode: 292, content: "x\n"}]
            post_start: [touch, /tmp/started]
            init_containers: [{name: seed, command: [true]}]
            default_url: /lab
            """);

        var p = LaunchProfile.Load(path);

        (p.FsGid, p.MemGuarantee, p.AllowPrivilegeEscalation, p.Storage!.Type, p.DefaultUrl).Should().Be((100, "512M", false, "static", "/lab"));
        p.VolumeMounts.Should().HaveCount(2);
        p.InitContainers.Single().Command.Should().Equal("true");
        p.ToSpawnerJson("i")["extra_files"]![0]!["mode"]!.GetValue<int>().Should().Be(292);
    }

    [Fact]
    public void AMountOfAnUndeclaredVolumeIsRefused()
    {
        using var dir = new TempDir("kr-profile-");
        var path = dir.Write("bad.yaml", "storage: {type: none}\nvolume_mounts: [{name: home, mount_path: /home/jovyan}]\n");

        var act = () => LaunchProfile.Load(path);

        act.Should().Throw<HarnessException>().Which.What.Should().Contain("names volume 'home'");
    }
}
