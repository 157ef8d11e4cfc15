namespace KernelRegression.Tests.Deployments;

/// <summary>What helm or the hub would refuse is refused here first, naming the key and what it was probably meant to be.</summary>
public sealed class ValuesCheckTests
{
    private const string Image = "  image: {name: x, tag: \"1\"}\n";

    [Theory]
    [InlineData("extraEnvv: {A: b}", "singleuser.extraEnvv", "extraEnv")]
    [InlineData("extra_env: {A: b}", "singleuser.extra_env", "extraEnv")]
    [InlineData("memory: {limt: 1G}", "singleuser.memory.limt", "limit")]
    [InlineData("storage: {homeMountpath: /home/x}", "singleuser.storage.homeMountpath", "homeMountPath")]
    [InlineData("args: [--debug]", "singleuser.args", null)]
    public void AnUnknownKeyUnderSingleuserIsAnErrorWithTheClosestKnownKey(string line, string key, string? closest)
    {
        var e = Values.Refusal(() => Values.Of("singleuser:\n" + Image + "  " + line + "\n"));
        e.What.Should().Contain(key).And.Contain("a.yaml:3:");
        if (closest is null)
        {
            e.What.Should().NotContain("did you mean");
        }
        else
        {
            e.What.Should().Contain($"did you mean '{closest}'?");
        }
    }

    [Fact]
    public void EveryProblemIsListedAtOnceWithItsFileAndLine()
    {
        var act = () => Values.Of("jupyterhub:\n  singleuser:\n    image: {name: x, tag: \"1\"}\n    uidd: 1000\n", "jupyterhub:\n  singleuser:\n    fsgid: 100\n  hubb: {}\n");

        var what = act.Should().Throw<ValuesException>().Which.What;
        what.Should().Contain("jupyterhub.singleuser.uidd (a.yaml:4:5)").And.Contain("'uid'");
        what.Should().Contain("jupyterhub.singleuser.fsgid (b.yaml:3:5)").And.Contain("'fsGid'");
        what.Should().Contain("jupyterhub.hubb (b.yaml:4:3)").And.Contain("'hub'");
    }

    [Fact]
    public void AKeyNewIn420IsRefusedUnderTheOlderChart()
    {
        const string yaml = "singleuser:\n" + Image + "  storage: {dynamic: {subPath: home}}\n";

        Values.Refusal(() => Values.With(new ValuesOptions { Chart = "3.3.8" }, yaml)).What.Should().Contain("singleuser.storage.dynamic.subPath");
        Values.Of(yaml).Cells.Should().ContainSingle();
    }

    [Theory]
    [InlineData("image: {name: x, tag: 2026.11}", "singleuser.image.tag", "quote it")]
    [InlineData("image: {name: x, tag: \"1\"}\n  uid: \"1000\"", "singleuser.uid", "an integer")]
    [InlineData("image: {name: x, tag: \"1\"}\n  cpu: {limit: 500m}", "singleuser.cpu.limit", "a number")]
    [InlineData("image: {name: x, tag: \"1\"}\n  storage: {type: nfs}", "singleuser.storage.type", "one of dynamic, static, none")]
    public void AValueOfTheWrongTypeUnderSingleuserIsRefusedAsTheSchemaDoes(string yaml, string key, string expected)
    {
        Values.Refusal(() => Values.Of("singleuser:\n  " + yaml + "\n")).What.Should().Contain(key).And.Contain(expected);
    }

    [Theory]
    [InlineData("mem_limit: [1]", "mem_limit", "a size")]
    [InlineData("cpu_limit: lots", "cpu_limit", "a number")]
    [InlineData("environment: [A=b]", "environment", "a map")]
    [InlineData("uid: \"1000\"", "uid", "an integer")]
    [InlineData("cmd: {a: b}", "cmd", "a list of strings or one string")]
    [InlineData("volumes: {a: {name: a, emptyDir: {}}}", "volumes", "a list")]
    public void AnOverrideOfTheWrongTypeIsAnErrorNamingTheKeyAndTheType(string line, string trait, string expected)
    {
        var options = new ValuesOptions { KubeSpawner = KubeSpawnerVersion.Parse("6.2.0") };

        Values.Refusal(() => Values.With(options, "singleuser:\n" + Image + "  profileList:\n    - display_name: Big\n      kubespawner_override: {" + line + "}\n")).What.Should()
            .Contain($"singleuser.profileList[big].kubespawner_override.{trait}").And.Contain(expected);
    }

    [Fact]
    public void KubeSpawner7TakesAMapForListTraits()
    {
        var c = Values.Of("singleuser:\n" + Image + "  storage: {type: none}\n  profileList:\n    - display_name: Big\n      kubespawner_override:\n        volumes: {b: {name: b, emptyDir: {}}, a: {name: a, emptyDir: {}}}\n        volume_mounts: {x: {name: a, mountPath: /a}, y: {name: b, mountPath: /b}}\n").Cells.Single();

        c.Launch.Volumes.Select(v => v.Name).Should().Equal("a", "b");
        c.Launch.VolumeMounts.Select(m => m.MountPath).Should().Equal("/a", "/b");
    }

    [Fact]
    public void AnUnknownOverrideNameIsReportedBecauseKubeSpawnerIgnoresIt()
    {
        var c = Values.Of("singleuser:\n" + Image + "  profileList:\n    - display_name: Big\n      kubespawner_override: {mem_limt: 2G, lifecycleHooks: x}\n").Cells.Single();

        c.NotApplied.Should().ContainEquivalentOf(new NotApplied("singleuser.profileList[big].kubespawner_override.mem_limt",
            "not a KubeSpawner setting: KubeSpawner ignores it silently; did you mean 'mem_limit'?"));
        c.NotApplied.Should().Contain(n => n.Key.EndsWith(".lifecycleHooks", StringComparison.Ordinal) && n.Why.Contains("'lifecycle_hooks'"));
        c.Launch.MemLimit.Should().BeNull();
    }

    [Fact]
    public void AnUnknownOverrideNameWithAMapFailsTheSpawnAndIsAnError()
    {
        Values.Refusal(() => Values.Of("singleuser:\n" + Image + "  profileList:\n    - display_name: Big\n      kubespawner_override: {extraEnv: {A: b}}\n")).What.Should().Contain("kubespawner_override.extraEnv").And.Contain("AttributeError");
    }

    [Theory]
    [InlineData("memory: {limit: 1Gi}", "singleuser.memory.limit", "1Gi")]
    [InlineData("memory: {guarantee: \"512\"}", "singleuser.memory.guarantee", "512")]
    public void ASizeJupyterHubRefusesIsAnError(string line, string key, string value)
    {
        var e = Values.Refusal(() => Values.Of("singleuser:\n" + Image + "  " + line + "\n"));
        e.What.Should().Contain(key).And.Contain(value);
        e.Fix.Should().Contain("not 1Gi");
    }

    [Fact]
    public void AnUnknownHubConfigTraitIsReportedAndAWrongTypeIsAnError()
    {
        var c = Values.Cell("singleuser:\n" + Image + "hub:\n  config:\n    KubeSpawner: {mem_limt: 2G}\n");
        var act = () => Values.Of("singleuser:\n" + Image + "hub:\n  config:\n    KubeSpawner: {mem_limit: [2]}\n");

        c.NotApplied.Should().Contain(n => n.Key == "hub.config.KubeSpawner.mem_limt" && n.Why.Contains("'mem_limit'"));
        act.Should().Throw<ValuesException>().Which.What.Should().Contain("hub.config.KubeSpawner.mem_limit").And.Contain("a size");
    }

    [Fact]
    public void AMountOfAVolumeThatDoesNotExistIsAnError()
    {
        Values.Refusal(() => Values.Of("singleuser:\n" + Image + "  storage:\n    extraVolumeMounts: [{name: data, mountPath: /data}]\n")).What.Should().Contain("names volume 'data'");
    }

    [Fact]
    public void AnUnknownTemplateFieldFailsLikeKubeSpawner()
    {
        Values.Refusal(() => Values.Of("singleuser:\n" + Image + "  extraEnv: {HOME_OF: \"/home/{user}\"}\n")).What.Should().Contain("{user}").And.Contain("KeyError");
    }

    [Fact]
    public void AKeyDeepUnderTheHubIsCheckedAgainstTheChartsSchema()
    {
        var e = Values.Refusal(() => Values.Of("singleuser:\n" + Image + "hub:\n  db: {tyep: sqlite-memory}\n"));

        e.What.Should().Contain("hub.db.tyep (a.yaml:4:").And.Contain("did you mean 'type'?");
    }
}
