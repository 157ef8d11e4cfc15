namespace KernelRegression.Tests.Deployments;

/// <summary>
/// Where the docker launch used to part from the pod the chart and KubeSpawner make (z2jh 3.3.8/4.2.0,
/// KubeSpawner 6.2.0/7.0.0): each finding's rule, read from upstream, held here. What the chart,
/// KubeSpawner or the Kubernetes API would refuse is refused while reading, naming the key and the rule.
/// </summary>
public sealed class PodFidelityTests
{
    private const string Su = "singleuser:\n  image: {name: example.org/nb, tag: \"1\"}\n";

    private static ValuesCell One(string yaml, ValuesOptions? options = null) => Values.Cell(options ?? new ValuesOptions(), Su + yaml);

    private static ValuesException Refused(string yaml, ValuesOptions? options = null) =>
        Values.Refusal(() => Values.With(options ?? new ValuesOptions(), Su + yaml));

    // ------------------------------------------------------------ 2. template fields and str.format

    [Fact]
    public void KubeSpawner62DoesNotKnowTheFieldsKubeSpawner7Added()
    {
        const string yaml = "  storage: {type: static, static: {pvcName: homes, subPath: \"{escaped_username}\"}}\n";

        var e = Refused(yaml, new ValuesOptions { Chart = "3.3.8" });

        e.What.Should().Contain("singleuser.storage").And.Contain("{escaped_username}").And.Contain("KeyError").And.Contain("6.2.0");
        One(yaml).Launch.Storage!.StaticSubPath.Should().Be("{escaped_username}", "KubeSpawner 7 fills it per user (the chart's upgrade guide recommends it)");
    }

    [Theory]
    [InlineData("  extraEnv: {SETTINGS: '{\"theme\": \"dark\"}'}\n", "singleuser.extraEnv.SETTINGS", "KeyError")]
    [InlineData("  extraEnv: {EMPTY: \"x{}y\"}\n", "singleuser.extraEnv.EMPTY", "IndexError")]
    [InlineData("  extraEnv: {HALF: \"a}b\"}\n", "singleuser.extraEnv.HALF", "ValueError")]
    [InlineData("  initContainers: [{name: fix, image: example.org/nb:1, command: [sh, -c, \"chown 1000 ${HOME}\"]}]\n", "singleuser.initContainers", "KeyError: 'HOME'")]
    [InlineData("  extraLabels: {owner: \"{user}\"}\n", "singleuser.extraLabels", "KeyError")]
    [InlineData("  extraPodConfig: {hostname: \"{nobody}\"}\n", "singleuser.extraPodConfig", "KeyError")]
    public void WhatKubeSpawnerFormatsFailsAsStrFormatFails(string yaml, string key, string error)
    {
        var e = Refused(yaml);

        e.What.Should().Contain(key).And.Contain(error).And.Contain("str.format");
    }

    [Fact]
    public void WhatKubeSpawnerDoesNotFormatKeepsItsBraces()
    {
        var c = One("  cmd: [sh, -c, \"echo {x}\"]\n  lifecycleHooks: {postStart: {exec: {command: [sh, -c, \"echo ${HOME} {y}\"]}}}\n");

        c.Launch.Args.Should().Equal("sh", "-c", "echo {x}");
        c.Launch.PostStart.Should().Equal("sh", "-c", "echo ${HOME} {y}");
    }

    // ------------------------------------------------------------ 3. static storage: shared folders

    [Fact]
    public void TheStaticClaimMountedAgainAtOtherSubPathsIsKept()
    {
        var c = One("""
              storage:
                type: static
                static: {pvcName: home-nfs, subPath: "{username}"}
                extraVolumeMounts:
                  - {name: home, mountPath: /home/jovyan/shared, subPath: _shared, readOnly: true}
                  - {name: home, mountPath: /home/jovyan/shared-readwrite, subPath: _shared}
            """);

        c.Launch.VolumeMounts.Should().BeEquivalentTo(new[]
        {
            new LaunchVolumeMount { Name = "home", MountPath = "/home/jovyan/shared", SubPath = "_shared", ReadOnly = true },
            new LaunchVolumeMount { Name = "home", MountPath = "/home/jovyan/shared-readwrite", SubPath = "_shared" },
        }, o => o.WithStrictOrdering());
        c.NotApplied.Should().NotContain(n => n.Key.Contains("extraVolumes", StringComparison.Ordinal) || n.Why.Contains("second claim", StringComparison.Ordinal));
    }

    // ------------------------------------------------------------ 4. env values that are not strings

    [Theory]
    [InlineData("OMP_NUM_THREADS: 1", "singleuser.extraEnv.OMP_NUM_THREADS", "TypeError")]
    [InlineData("RATIO: 1.5", "singleuser.extraEnv.RATIO", "TypeError")]
    [InlineData("VERBOSE: true", "singleuser.extraEnv.VERBOSE", "TypeError")]
    [InlineData("LEVEL: 0", "singleuser.extraEnv.LEVEL", "EnvVar")]
    [InlineData("QUIET: false", "singleuser.extraEnv.QUIET", "EnvVar")]
    [InlineData("AS_MAP: {value: 2}", "singleuser.extraEnv.AS_MAP", "TypeError")]
    public void AnEnvValueThatIsNotAStringIsRefusedAsKubeSpawnerOrTheApiRefusesIt(string entry, string key, string rule)
    {
        var e = Refused($"  extraEnv: {{{entry}}}\n");

        e.What.Should().Contain(key).And.Contain(rule);
        e.Fix.Should().Contain("quote");
    }

    [Fact]
    public void ANullEnvValueIsAnEmptyVariable()
    {
        One("  extraEnv: {EMPTY: null}\n").Launch.Env["EMPTY"].Should().BeEmpty();
    }

    // ------------------------------------------------------------ 5. the hub's env, and environment last

    [Fact]
    public void JupyterImageFromExtraEnvWinsBecauseKubeSpawnerAppliesEnvironmentLast()
    {
        var c = One("  extraEnv: {JUPYTER_IMAGE: example.org/nb:pinned}\n");

        c.Launch.Env["JUPYTER_IMAGE"].Should().Be("example.org/nb:pinned");
        c.Launch.Env["JUPYTER_IMAGE_SPEC"].Should().Be("example.org/nb:1");
        c.Sources["env.JUPYTER_IMAGE"].Should().Be("singleuser.extraEnv.JUPYTER_IMAGE");
    }

    // ------------------------------------------------------------ 6. requests above limits

    [Theory]
    [InlineData("  cpu: {limit: 1, guarantee: 2}\n", "singleuser.cpu.guarantee", "cpu")]
    [InlineData("  memory: {limit: 512M}\n", "singleuser.memory.guarantee", "memory")]
    [InlineData("  memory: {limit: 1G, guarantee: 2G}\n", "singleuser.memory.guarantee", "memory")]
    public void AGuaranteeAboveTheLimitIsRefusedAsTheApiRefusesThePod(string yaml, string key, string resource)
    {
        var e = Refused(yaml);

        e.What.Should().Contain(key).And.Contain($"must be less than or equal to {resource} limit");
    }

    [Fact]
    public void ACpuLimitAboveThisMachinesCoresIsKept()
    {
        One("  cpu: {limit: 64, guarantee: 0.5}\n").Launch.CpuLimit.Should().Be(64);
    }

    // ------------------------------------------------------------ 7. privileges and whole-field replacements

    [Fact]
    public void AnInitContainerThatNeedsPrivilegesIsNotRunButListedWithWhy()
    {
        var c = One("""
              cloudMetadata: {blockWithIptables: false}
              initContainers:
                - name: firewall
                  image: example.org/nb:1
                  command: [iptables, -A, OUTPUT, -j, DROP]
                  securityContext: {runAsUser: 0, capabilities: {add: [NET_ADMIN]}}
                - name: mount-fuse
                  image: example.org/nb:1
                  command: [true]
                  securityContext: {privileged: true}
                - name: seed
                  image: example.org/nb:1
                  command: [true]
            """);

        c.Launch.InitContainers.Select(i => i.Name).Should().Equal("seed");
        c.NotApplied.Should().Contain(n => n.Key == "singleuser.initContainers[firewall]" && n.Why.Contains("NET_ADMIN"));
        c.NotApplied.Should().Contain(n => n.Key == "singleuser.initContainers[mount-fuse]" && n.Why.Contains("privileged"));
    }

    [Fact]
    public void ExtraContainerConfigResourcesReplaceTheLimitsWhole()
    {
        var c = One("""
              memory: {limit: 1G, guarantee: 512M}
              cpu: {limit: 2}
            hub:
              config:
                KubeSpawner:
                  extra_container_config:
                    resources: {limits: {memory: 2Gi, cpu: 500m}}
            """);

        (c.Launch.MemLimit, c.Launch.CpuLimit, c.Launch.MemGuarantee, c.Launch.CpuGuarantee).Should().Be(("2147483648", 0.5, null, null),
            "update_k8s_model sets the container's resources to the given object: the chart's limits and requests are gone");
        c.Sources["mem_limit"].Should().Be("hub.config.KubeSpawner.extra_container_config.resources");
    }

    [Fact]
    public void ExtraPodConfigSecurityContextReplacesTheFsGroup()
    {
        var c = One("  extraPodConfig: {securityContext: {runAsNonRoot: true}}\n");

        c.Launch.FsGid.Should().BeNull("the pod's whole securityContext is replaced: the chart's fsGroup 100 is gone");
    }

    // ------------------------------------------------------------ 8. default_url

    [Fact]
    public void NoDefaultUrlLeavesTheSpawnersUnset()
    {
        var c = One("");

        c.Launch.DefaultUrl.Should().BeEmpty("the chart sets c.Spawner.default_url only when singleuser.defaultUrl is set");
        c.Launch.ToSpawnerJson("x")["default_url"]!.GetValue<string>().Should().BeEmpty();
    }

    // ------------------------------------------------------------ 9. chart versions, parents, options, files

    [Fact]
    public void TheChartVersionChoosesItsKubeSpawner()
    {
        var e = Refused("  extraEnv: {WHO: \"{safe_username}\"}\n", new ValuesOptions { Chart = "3.3.8" });

        e.What.Should().Contain("KubeSpawner 6.2.0").And.Contain("{safe_username}");
    }

    [Fact]
    public void AnOptionWithOnlyAnUnlistedChoiceIsNotRunWithoutTheUsersText()
    {
        var v = Values.Of(Su + """
              profileList:
                - display_name: Bring your own image
                  profile_options:
                    image:
                      display_name: Image
                      unlisted_choice: {enabled: true, kubespawner_override: {image: "{value}"}}
                - display_name: Plain
            """);

        v.Cells.Select(c => c.Profile).Should().Equal("plain");
        v.Refusals.Should().ContainSingle().Which.Should().Match<ValuesRefusal>(r =>
            r.Key == "singleuser.profileList[bring-your-own-image].profile_options.image" && r.Rule.Contains("Unable to determine a default choice for image"));
        v.CellFor("bring-your-own-image", new Dictionary<string, string>(), new Dictionary<string, string> { ["image"] = "example.org/nb:2" })
            .Image.FromValues.Should().Be("example.org/nb:2", "with the user's text KubeSpawner formats the unlisted choice's override with {value}");
    }

    [Theory]
    [InlineData("a: {stringData: x}", "singleuser.extraFiles.a", "mountPath")]
    [InlineData("b: {mountPath: /etc/b, stringData: x, binaryData: eA==}", "singleuser.extraFiles.b", "only one of data, stringData, binaryData")]
    [InlineData("c: {mountPath: /etc/c}", "singleuser.extraFiles.c", "one of data, stringData, binaryData")]
    public void ExtraFilesNeedAMountPathAndExactlyOneContent(string file, string key, string rule)
    {
        Refused($"  extraFiles: {{{file}}}\n").What.Should().Contain(key).And.Contain(rule);
    }
}
