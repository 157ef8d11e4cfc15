namespace KernelRegression.Tests.Deployments;

/// <summary>Each values key and KubeSpawner trait, and what the container on docker gets from it.</summary>
public sealed class TranslationTests
{
    private const string Su = "singleuser:\n  image: {name: example.org/nb, tag: \"1\"}\n";

    private static ValuesCell One(string yaml, ValuesOptions? options = null) => Values.Cell(options ?? new ValuesOptions(), Su + yaml);

    [Fact]
    public void TheChartsDefaultsGiveTheDefaultLaunch()
    {
        var c = Values.Cell(Su);

        c.Image.Should().Be(new ImageChoice("example.org/nb:1", "example.org/nb:1", false, null));
        c.Launch.Command.Should().BeNull();
        c.Launch.Args.Should().Equal(["jupyterhub-singleuser"], "the chart's default cmd goes to the container's args (kubespawner PR 38)");
        c.Launch.Uid.Should().Be(1000);
        c.Launch.Gid.Should().BeNull();
        c.Launch.FsGid.Should().Be(100);
        c.Launch.MemGuarantee.Should().Be("1073741824");
        c.Launch.MemLimit.Should().BeNull();
        c.Launch.AllowPrivilegeEscalation.Should().BeFalse();
        c.Launch.Storage.Should().Be(new HomeStorage { Type = "dynamic", HomeMountPath = "/home/jovyan" });
        c.Launch.Labels.Should().Equal(new Dictionary<string, string> { ["hub.jupyter.org/network-access-hub"] = "true" });
        c.Launch.Env.Should().Equal(new Dictionary<string, string> { ["JUPYTER_IMAGE"] = "example.org/nb:1", ["JUPYTER_IMAGE_SPEC"] = "example.org/nb:1" });
        c.Id.Should().Be("values-a/singleuser");
        c.NotApplied.Select(n => n.Key).Should().BeEquivalentTo(["singleuser.networkPolicy", "singleuser.cloudMetadata.blockWithIptables",
            "scheduling.userPods.nodeAffinity.matchNodePurpose", "scheduling.userScheduler.enabled", "scheduling.userPods.tolerations"],
            "the chart's own defaults shape every pod: network policy, metadata firewall, user scheduler, node-purpose affinity, tolerations");
    }

    [Fact]
    public void ImageNameAndTagMakeTheReferenceAndANameWithoutTagStaysBare()
    {
        Values.Cell("singleuser:\n  image: {name: example.org/nb, tag: \"\"}\n").Image.FromValues.Should().Be("example.org/nb");
        Values.Cell(Su).Launch.Env["JUPYTER_IMAGE"].Should().Be("example.org/nb:1");
    }

    [Theory]
    [InlineData("  cmd: [start.sh, --x]\n", null, "start.sh,--x")]
    [InlineData("  cmd: start.sh jupyter lab\n", null, "start.sh jupyter lab")]
    [InlineData("  cmd: null\n", null, null)]
    [InlineData("  cmd: []\n", null, null)]
    public void CmdGoesToTheContainersArgsAndNullRunsTheImagesCmd(string yaml, string? command, string? args)
    {
        var c = One(yaml);

        c.Launch.Command.Should().BeEquivalentTo(command?.Split(','));
        c.Launch.Args.Should().BeEquivalentTo(args?.Split(','), "a string cmd is one argv item, never split");
    }

    [Fact]
    public void BeforeKubespawnerPr38CmdWasTheContainersCommand()
    {
        var c = One("  cmd: [jupyterhub-singleuser, --ip=0.0.0.0]\n", new ValuesOptions { KubeSpawner = KubeSpawnerVersion.Parse("pre-pr38") });

        c.Launch.Command.Should().Equal("jupyterhub-singleuser", "--ip=0.0.0.0");
        c.Launch.Args.Should().BeNull();
        c.Sources["command"].Should().Contain("singleuser.cmd").And.Contain("pre-pr38");
    }

    [Fact]
    public void SpawnerArgsFollowCmdAndAreIgnoredWithoutIt()
    {
        var with = One("hub:\n  config:\n    Spawner: {args: [--debug]}\n");
        var without = One("  cmd: null\nhub:\n  config:\n    Spawner: {args: [--debug]}\n");

        with.Launch.Args.Should().Equal("jupyterhub-singleuser", "--debug");
        without.Launch.Args.Should().BeNull();
        without.NotApplied.Should().Contain(n => n.Key == "hub.config.Spawner.args" && n.Why.Contains("kubespawner#533"));
    }

    [Fact]
    public void ExtraContainerConfigSetsCommandArgsWorkingDirAndReplacesTheSecurityContext()
    {
        var c = One("""
              uid: 1001
            hub:
              config:
                KubeSpawner:
                  extra_container_config:
                    command: [tini, -g, --]
                    args: [start.sh]
                    workingDir: /srv
                    securityContext: {runAsUser: 2000, readOnlyRootFilesystem: true}
            """);

        c.Launch.Command.Should().Equal("tini", "-g", "--");
        c.Launch.Args.Should().Equal("start.sh");
        c.Launch.WorkingDir.Should().Be("/srv");
        c.Launch.Uid.Should().Be(2000);
        c.Launch.ReadOnlyRoot.Should().BeTrue();
        c.Launch.AllowPrivilegeEscalation.Should().BeNull("the replaced security context drops the chart's allowPrivilegeEscalation: false");
        c.Sources["command"].Should().Be("hub.config.KubeSpawner.extra_container_config.command");
        c.Sources["uid"].Should().Be("hub.config.KubeSpawner.extra_container_config.securityContext.runAsUser");
    }

    [Fact]
    public void ExtraContainerConfigCommandAloneKeepsCmdAsArgs()
    {
        var c = One("hub:\n  config:\n    KubeSpawner:\n      extra_container_config: {command: [jupyterhub-singleuser]}\n");

        c.Launch.Command.Should().Equal("jupyterhub-singleuser");
        c.Launch.Args.Should().Equal(["jupyterhub-singleuser"], "KubeSpawner's args (cmd) stay; only command is replaced");
    }

    [Fact]
    public void ExtraContainerConfigEnvReplacesTheWholeEnvAndAnUnknownFieldIsAnError()
    {
        var c = One("  extraEnv: {GONE: x}\nhub:\n  config:\n    KubeSpawner:\n      extra_container_config: {env: [{name: A, value: \"{b}\"}, {name: S, valueFrom: {secretKeyRef: {name: s, key: k}}}], ports: [{containerPort: 8888}]}\n");
        var act = () => One("hub:\n  config:\n    KubeSpawner:\n      extra_container_config: {commands: [x]}\n");

        c.Launch.Env.Should().Equal(new Dictionary<string, string> { ["A"] = "{{b}}" }, "the container's env is this list alone, not formatted by KubeSpawner");
        c.Launch.EnvReplacesHub.Should().BeTrue("JupyterHub's own variables go too (kubespawner#306)");
        c.NotApplied.Should().Contain(n => n.Key == "hub.config.KubeSpawner.extra_container_config.env[1].valueFrom");
        c.NotApplied.Should().Contain(n => n.Key == "hub.config.KubeSpawner.extra_container_config.ports");
        act.Should().Throw<ValuesException>().Which.What.Should().Contain("'commands' is not a field of a Kubernetes container");
    }

    [Fact]
    public void ContainerSecurityContextBeatsUidAndGid()
    {
        var c = One("  uid: 1001\nhub:\n  config:\n    KubeSpawner:\n      gid: 50\n      container_security_context: {runAsUser: 1500, runAsGroup: 150, readOnlyRootFilesystem: true, capabilities: {drop: [ALL]}}\n");

        (c.Launch.Uid, c.Launch.Gid, c.Launch.ReadOnlyRoot).Should().Be((1500, 150, true));
        c.NotApplied.Should().Contain(n => n.Key == "hub.config.KubeSpawner.container_security_context.capabilities");
    }

    [Fact]
    public void ASnakeCaseSecurityContextKeyFailsLikeKubeSpawner()
    {
        var act = () => One("hub:\n  config:\n    KubeSpawner:\n      container_security_context: {run_as_user: 1}\n");

        act.Should().Throw<ValuesException>().Which.Fix.Should().Contain("runAsUser");
    }

    [Fact]
    public void UidGidFsGidWorkingDirAndNullUidUseTheImages()
    {
        var c = One("  uid: null\n  fsGid: 1000\nhub:\n  config:\n    KubeSpawner: {gid: 100, working_dir: /home/jovyan/work}\n");

        c.Launch.Uid.Should().BeNull("a null uid deletes the chart's 1000: the image's USER runs");
        (c.Launch.Gid, c.Launch.FsGid, c.Launch.WorkingDir).Should().Be((100, 1000, "/home/jovyan/work"));
    }

    [Fact]
    public void PodSecurityContextGivesFsGroupAndTheUidWhenTheContainerHasNone()
    {
        var c = One("  uid: null\nhub:\n  config:\n    KubeSpawner:\n      pod_security_context: {runAsUser: 1200, fsGroup: 300, sysctls: []}\n");

        (c.Launch.Uid, c.Launch.FsGid).Should().Be((1200, 300));
        c.NotApplied.Should().Contain(n => n.Key == "hub.config.KubeSpawner.pod_security_context.sysctls");
    }

    [Fact]
    public void MemoryAndCpuAreJupyterHubsBytesAndFloats()
    {
        var c = One("  memory: {limit: 1.5G, guarantee: 536870912}\n  cpu: {limit: 2, guarantee: 0.25}\n");

        (c.Launch.MemLimit, c.Launch.MemGuarantee).Should().Be(("1610612736", "536870912"));
        (c.Launch.CpuLimit, c.Launch.CpuGuarantee).Should().Be((2.0, 0.25));
    }

    [Fact]
    public void ExtraEnvTakesPlainValuesAndMapsWithValueAndReportsValueFrom()
    {
        var c = One("""
              extraEnv:
                PLAIN: a
                AS_MAP: {value: b}
                RENAMED: {name: OTHER, value: c}
                SECRET: {valueFrom: {secretKeyRef: {name: s, key: k}}}
            """);

        c.Launch.Env.Should().Contain(new Dictionary<string, string> { ["PLAIN"] = "a", ["AS_MAP"] = "b", ["OTHER"] = "c" });
        c.Launch.Env.Should().NotContainKey("SECRET");
        c.NotApplied.Should().ContainEquivalentOf(new NotApplied("singleuser.extraEnv.SECRET", "valueFrom reads a Secret, ConfigMap or pod field of the cluster"));
    }

    [Fact]
    public void EnvironmentIsInKubeSpawnersOrderSoReferencesExpandLikeKubernetes()
    {
        var c = One("  extraEnv: {Z_BASE: /srv, A_PATH: $(Z_BASE)/a, B_DEEP: $(A_PATH)/b, C_USER: $(JUPYTERHUB_USER)}\n");

        c.Launch.Env.Keys.Should().Equal(["JUPYTER_IMAGE", "JUPYTER_IMAGE_SPEC", "Z_BASE", "A_PATH", "C_USER", "B_DEEP"],
            "JupyterHub's variables are in the first round with Z_BASE; C_USER, which references one, comes in the second (seen rendered by KubeSpawner 7.0.0)");
        c.Launch.Env["B_DEEP"].Should().Be("$(A_PATH)/b", "the spawner expands references as Kubernetes does, in this order");
    }

    [Fact]
    public void ATemplatedValueIsCarriedForTheSpawnerToFillAsKubeSpawnerDoes()
    {
        var c = One("  extraEnv: {WHO: \"{username}\", BRACES: \"{{x}}\"}\n");

        c.Launch.Env["WHO"].Should().Be("{username}", "the spawner fills it per user with KubeSpawner's fields");
        c.Launch.Env["BRACES"].Should().Be("{{x}}", "the spawner's str.format makes it {x}");
        c.Launch.Templates.Should().Be(new LaunchTemplates("7.0.0", "safe", "jupyter-{user_server}", "claim-{user_server}", "default"));
        c.NotApplied.Should().NotContain(n => n.Key.StartsWith("singleuser.extraEnv", StringComparison.Ordinal));
    }

    [Fact]
    public void ExtraFilesBecomeFilesWithTheChartsContentAndMode()
    {
        var c = One("""
              extraFiles:
                a: {mountPath: /etc/a.txt, stringData: "one\ntwo\n\n\n"}
                b: {mountPath: /etc/b.json, data: {z: 1, a: [x, "<y>"]}, mode: 0600}
                c: {mountPath: /etc/c.yaml, data: {name: nb, list: [1, {k: v}], nested: {deep: true}, flag: n}}
                d: {mountPath: /etc/d.toml, data: {title: t, owner: {name: o}}}
                e: {mountPath: /etc/e.txt, binaryData: aGVsbG8=}
            """);

        c.Launch.ExtraFiles.Should().BeEquivalentTo(new[]
        {
            new LaunchFile { MountPath = "/etc/a.txt", Mode = 420, Content = "one\ntwo\n" },
            new LaunchFile { MountPath = "/etc/b.json", Mode = 384, Content = "{\"a\":[\"x\",\"\\u003cy\\u003e\"],\"z\":1}\n" },
            new LaunchFile { MountPath = "/etc/c.yaml", Mode = 420, Content = "flag: false\nlist:\n- 1\n- k: v\nname: nb\nnested:\n  deep: true\n" },
            new LaunchFile { MountPath = "/etc/d.toml", Mode = 420, Content = "title = \"t\"\n\n[owner]\n  name = \"o\"\n" },
            new LaunchFile { MountPath = "/etc/e.txt", Mode = 420, Content = "hello" },
        }, o => o.WithStrictOrdering());
    }

    [Fact]
    public void StorageNoneStaticAndDynamicSetTheHome()
    {
        One("  storage: {type: none}\n").Launch.Storage!.Type.Should().Be("none");
        One("  storage: {type: static, static: {pvcName: homes}, homeMountPath: /home/student}\n").Launch.Storage.Should().Be(
            new HomeStorage { Type = "static", HomeMountPath = "/home/student", StaticSubPath = "{username}" });
        One("  storage: {type: dynamic, homeMountPath: /home/x, capacity: 20Gi, dynamic: {storageClass: fast}}\n").Launch.Storage.Should().Be(
            new HomeStorage { Type = "dynamic", HomeMountPath = "/home/x" });
        One("  storage: {capacity: 20Gi, dynamic: {storageClass: fast}}\n").NotApplied.Select(n => n.Key).Should().Contain(
            ["singleuser.storage.capacity", "singleuser.storage.dynamic.storageClass"]);
    }

    [Fact]
    public void ExtraVolumesWithEmptyDirAndGivenFilesAreMountedOthersAreNotApplied()
    {
        using var dir = new TempDir("kr-volume-files-");
        dir.Write("k1", "one");
        dir.Write("k2", "two");
        var options = new ValuesOptions { VolumeFiles = ValuesOptions.ParseVolumeFiles([$"cfg={dir.FullName}"]) };

        var c = One("""
              storage:
                extraVolumes:
                  - {name: tmp, emptyDir: {medium: Memory}}
                  - {name: cfg, configMap: {name: course, items: [{key: k2, path: conf/two.txt}], defaultMode: 0440}}
                  - {name: creds, secret: {secretName: creds}}
                  - {name: shared, nfs: {server: 10.0.0.1, path: /x}}
                  - {name: node, hostPath: {path: /data}}
                extraVolumeMounts:
                  - {name: tmp, mountPath: /tmp/scratch}
                  - {name: cfg, mountPath: /etc/course, readOnly: true}
                  - {name: cfg, mountPath: /etc/one, subPath: conf/two.txt}
                  - {name: creds, mountPath: /etc/creds}
                  - {name: shared, mountPath: /shared}
                  - {name: node, mountPath: /data}
            """, options);

        c.Launch.Volumes.Should().BeEquivalentTo(new[]
        {
            new LaunchVolume { Name = "tmp", Type = "emptyDir" },
            new LaunchVolume { Name = "cfg", Type = "configMap", Files = new() { ["conf/two.txt"] = "two" }, DefaultMode = 288 },
        });
        c.Launch.VolumeMounts.Should().BeEquivalentTo(new[]
        {
            new LaunchVolumeMount { Name = "tmp", MountPath = "/tmp/scratch" },
            new LaunchVolumeMount { Name = "cfg", MountPath = "/etc/course", ReadOnly = true },
            new LaunchVolumeMount { Name = "cfg", MountPath = "/etc/one", SubPath = "conf/two.txt" },
        });
        c.NotApplied.Select(n => n.Key).Should().Contain([
            "singleuser.storage.extraVolumes[tmp].emptyDir.medium", "singleuser.storage.extraVolumes[creds]",
            "singleuser.storage.extraVolumes[shared]", "singleuser.storage.extraVolumes[node]"]);
        c.NotApplied.Single(n => n.Key == "singleuser.storage.extraVolumes[creds]").Why.Should().Contain("--volume-files creds=DIR");
        c.NotApplied.Single(n => n.Key == "singleuser.storage.extraVolumes[shared]").Why.Should().Contain("nfs volume");
    }

    [Fact]
    public void APostStartExecHookRunsAndOtherHooksAreNotApplied()
    {
        var c = One("  lifecycleHooks:\n    postStart: {exec: {command: [sh, -c, touch /tmp/x]}}\n    preStop: {exec: {command: [sleep, '1']}}\n");
        var http = One("  lifecycleHooks:\n    postStart: {httpGet: {path: /, port: 80}}\n");

        c.Launch.PostStart.Should().Equal("sh", "-c", "touch /tmp/x");
        c.NotApplied.Should().Contain(n => n.Key == "singleuser.lifecycleHooks.preStop");
        http.Launch.PostStart.Should().BeNull();
        http.NotApplied.Should().Contain(n => n.Key == "singleuser.lifecycleHooks.postStart" && n.Why.Contains("exec"));
    }

    [Fact]
    public void InitContainersRunWithTheirImageCommandEnvMountsAndUser()
    {
        var options = new ValuesOptions { Images = ImageMap.Parse(["busybox:1.36=kr/nettools:x"]) };

        var c = One("""
              initContainers:
                - name: same-image
                  image: example.org/nb:1
                  command: [sh, -c, "touch /home/jovyan/.init"]
                  volumeMounts: [{name: "volume-{user_server}", mountPath: /home/jovyan}]
                - name: other-image
                  image: busybox:1.36
                  args: [echo, hi]
                  env: [{name: A, value: b}, {name: S, valueFrom: {secretKeyRef: {name: s, key: k}}}]
                  securityContext: {runAsUser: 0, runAsGroup: 0, seccompProfile: {type: RuntimeDefault}}
                  resources: {limits: {cpu: 1}}
            """, options);

        c.Launch.InitContainers.Should().BeEquivalentTo(new[]
        {
            new LaunchInitContainer { Name = "same-image", Image = null, Command = ["sh", "-c", "touch /home/jovyan/.init"],
                VolumeMounts = [new LaunchVolumeMount { Name = "home", MountPath = "/home/jovyan" }] },
            new LaunchInitContainer { Name = "other-image", Image = "kr/nettools:x", Args = ["echo", "hi"], Env = new() { ["A"] = "b" }, Uid = 0, Gid = 0 },
        }, o => o.WithStrictOrdering());
        c.InitImages.Should().ContainSingle().Which.Should().Be(new ImageChoice("busybox:1.36", "kr/nettools:x", false, "busybox:1.36=kr/nettools:x"));
        c.NotApplied.Select(n => n.Key).Should().Contain([
            "singleuser.initContainers[other-image].env.S", "singleuser.initContainers[other-image].resources",
            "singleuser.initContainers[other-image].securityContext.seccompProfile"]);
        c.Launch.ToSpawnerJson("x")["init_containers"]![0]!["volume_mounts"]![0]!["name"]!.ToString().Should().Be("home");
    }

    [Fact]
    public void TheChartsCloudMetadataInitContainerIsNotAppliedAndCanBeTurnedOff()
    {
        One("").NotApplied.Should().Contain(n => n.Key == "singleuser.cloudMetadata.blockWithIptables");
        One("  cloudMetadata: {blockWithIptables: false}\n").NotApplied.Should().NotContain(n => n.Key.Contains("cloudMetadata"));
    }

    [Fact]
    public void DefaultUrlIsRecorded()
    {
        One("  defaultUrl: /lab\n").Launch.DefaultUrl.Should().Be("/lab");
    }

    [Fact]
    public void ShareProcessNamespaceIsAnInitAsPid1AndOtherPodFieldsAreNotApplied()
    {
        var c = One("  extraPodConfig: {shareProcessNamespace: true, dnsPolicy: None}\n");

        c.Launch.Init.Should().BeTrue();
        c.Notes.Should().Contain(n => n.Contains("PID 1") && n.Contains("pause container"));
        c.NotApplied.Should().Contain(n => n.Key == "singleuser.extraPodConfig.dnsPolicy");
    }

    [Fact]
    public void KeysThatCannotApplyOnDockerAreListedWithWhy()
    {
        var c = Values.Cell("""
            singleuser:
              image: {name: x, tag: "1", pullSecrets: [regcred]}
              nodeSelector: {pool: users}
              extraTolerations: [{key: a, operator: Exists}]
              extraNodeAffinity: {required: [{matchExpressions: []}]}
              serviceAccountName: student
              extraContainers: [{name: sidecar, image: x}]
              extraResource: {limits: {nvidia.com/gpu: 1}}
              extraAnnotations: {a: b}
              extraPodConfig: {priorityClassName: high}
              networkPolicy: {enabled: true}
            hub:
              extraConfig: {00-hooks: "c.Spawner.pre_spawn_hook = f"}
              existingSecret: hub-values
            imagePullSecrets: [other]
            scheduling:
              userPods:
                nodeAffinity: {matchNodePurpose: require}
            """);

        c.NotApplied.Select(n => n.Key).Should().Contain([
            "singleuser.nodeSelector", "singleuser.extraTolerations", "singleuser.extraNodeAffinity.required", "singleuser.serviceAccountName",
            "singleuser.extraContainers", "singleuser.extraResource.limits", "singleuser.extraAnnotations", "singleuser.extraPodConfig.priorityClassName",
            "singleuser.networkPolicy", "hub.extraConfig.00-hooks", "hub.existingSecret", "imagePullSecrets / singleuser.image.pullSecrets",
            "scheduling.userPods.nodeAffinity.matchNodePurpose"]);
        c.NotApplied.Should().OnlyContain(n => n.Why.Length > 10);
        c.NotApplied.Select(n => n.ToString()).Should().Contain("singleuser.nodeSelector (schedules the pod on labelled nodes; docker runs it on this machine)");
    }

    [Fact]
    public void LabelsComeFromExtraLabels()
    {
        var json = One("  extraLabels: {course: data-101}\n").Launch.ToSpawnerJson("kr/singleuser:x");

        json["labels"]!["course"]!.ToString().Should().Be("data-101");
        json["labels"]!["org.kernelregression.profile"]!.ToString().Should().Be("values-a/singleuser");
    }

    [Fact]
    public void TheSameTraitsWorkFromAProfileOverride()
    {
        var c = Values.Of(Su + """
              profileList:
                - display_name: All
                  kubespawner_override:
                    cmd: [start.sh]
                    args: [--debug]
                    uid: 1001
                    gid: 101
                    fs_gid: 1001
                    working_dir: /srv
                    mem_limit: 3G
                    mem_guarantee: 1G
                    cpu_limit: 1.5
                    cpu_guarantee: 0.5
                    environment: {EXTRA: x}
                    lifecycle_hooks: {postStart: {exec: {command: [touch, /tmp/p]}}}
                    init_containers: [{name: i, image: example.org/nb:1, command: [true]}]
                    container_security_context: {readOnlyRootFilesystem: true}
                    extra_pod_config: {shareProcessNamespace: true}
                    default_url: /lab
                    extra_labels: {tier: gold}
            """).Cells.Single();

        var p = c.Launch;
        (p.Args, p.Uid, p.Gid, p.FsGid, p.WorkingDir).Should().BeEquivalentTo((new List<string> { "start.sh", "--debug" }, 1001, 101, 1001, "/srv"));
        (p.MemLimit, p.MemGuarantee, p.CpuLimit, p.CpuGuarantee).Should().Be(("3221225472", "1073741824", 1.5, 0.5));
        (p.Env["EXTRA"], p.PostStart![1], p.InitContainers.Single().Name, p.ReadOnlyRoot, p.Init, p.DefaultUrl, p.Labels["tier"])
            .Should().Be(("x", "/tmp/p", "i", true, true, "/lab", "gold"));
        c.Sources.Should().ContainKey("uid").WhoseValue.Should().Be("singleuser.profileList[all].kubespawner_override.uid");
        c.NotApplied.Should().OnlyContain(n => n.Key.StartsWith("singleuser.networkPolicy", StringComparison.Ordinal) || n.Key.StartsWith("singleuser.cloudMetadata", StringComparison.Ordinal)
            || n.Key.StartsWith("scheduling.", StringComparison.Ordinal),
            "every trait of the override has a meaning on docker");
    }

    [Fact]
    public void ExtraEnvAsAListPassesTheSchemaButStopsTheHub()
    {
        var act = () => One("  extraEnv: [{name: A, value: b}]\n");

        act.Should().Throw<ValuesException>().Which.What.Should().Contain("singleuser.extraEnv is a list").And.Contain("environment");
    }

    [Fact]
    public void AProfileWhoseVolumesDropTheHomeAndFilesSaysSo()
    {
        var c = Values.Of(Su + "  extraFiles: {a: {mountPath: /etc/a, stringData: x}}\n  profileList:\n    - display_name: P\n      kubespawner_override:\n        volumes: []\n        volume_mounts: []\n").Cells.Single();

        c.Launch.Storage!.Type.Should().Be("none");
        c.Launch.ExtraFiles.Should().BeEmpty();
        c.Notes.Should().Contain(n => n.StartsWith("no home volume", StringComparison.Ordinal)).And.Contain(n => n.StartsWith("singleuser.extraFiles are not mounted", StringComparison.Ordinal));
    }
}
