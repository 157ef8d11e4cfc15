namespace KernelRegression.Tests.Deployments;

/// <summary>
/// Where two places set the same thing, the chart's order decides: singleuser.* → c.KubeSpawner.*,
/// then hub.config replacing a trait whole; a KubeSpawner setting beats a Spawner one; then the
/// profile's override, then the chosen option's.
/// </summary>
public sealed class PrecedenceTests
{
    private const string Su = "singleuser:\n  image: {name: x, tag: \"1\"}\n";

    [Fact]
    public void AKubeSpawnerSettingReplacesTheSingleuserOneWhole()
    {
        var c = Values.Cell(Su + "  extraEnv: {A: a, B: b}\n  memory: {limit: 1G}\nhub:\n  config:\n    KubeSpawner:\n      environment: {C: c}\n      mem_limit: 2G\n");

        c.Launch.Env.Keys.Should().NotContain(["A", "B"], "hub.config.KubeSpawner.environment replaces singleuser.extraEnv, it does not merge");
        c.Launch.Env["C"].Should().Be("c");
        c.Launch.MemLimit.Should().Be("2147483648");
        c.Sources["mem_limit"].Should().Be("hub.config.KubeSpawner.mem_limit");
    }

    [Fact]
    public void ASpawnerSettingLosesToEveryKeyTheChartMapsEvenDefaults()
    {
        var c = Values.Cell(Su + "hub:\n  config:\n    Spawner:\n      environment: {LOST: x}\n      mem_guarantee: 2G\n      mem_limit: 3G\n");

        c.Launch.Env.Should().NotContainKey("LOST", "the chart sets KubeSpawner.environment to extraEnv's {} default");
        c.Launch.MemGuarantee.Should().Be("1073741824", "the chart sets KubeSpawner.mem_guarantee to its 1G default");
        c.Launch.MemLimit.Should().Be("3221225472", "memory.limit defaults to null, so the chart sets nothing and Spawner.mem_limit stands");
    }

    [Fact]
    public void ASpawnerCmdAndDefaultUrlDoWinBecauseTheChartSetsThemOnSpawner()
    {
        var c = Values.Cell(Su + "  cmd: start.sh\n  defaultUrl: /tree\nhub:\n  config:\n    Spawner: {cmd: [other.sh], default_url: /lab}\n");

        c.Launch.Args.Should().Equal("other.sh");
        c.Launch.DefaultUrl.Should().Be("/lab");
    }

    [Fact]
    public void AKubeSpawnerCmdBeatsASpawnerCmdAndANullOneRunsTheImagesCmd()
    {
        var both = Values.Cell(Su + "hub:\n  config:\n    Spawner: {cmd: [a.sh]}\n    KubeSpawner: {cmd: [b.sh]}\n");
        var nulled = Values.Cell(Su + "  cmd: start.sh\nhub:\n  config:\n    KubeSpawner: {cmd: null}\n");

        both.Launch.Args.Should().Equal("b.sh");
        nulled.Launch.Args.Should().BeNull("hub.config.KubeSpawner.cmd: null sets the trait to None over singleuser.cmd");
    }

    [Fact]
    public void ProfileOverridesComeAfterConfigAndMergeMapsWhileChoicesComeLast()
    {
        var cells = Values.Of(Su + """
              extraEnv: {A: a, B: b}
              memory: {limit: 1G}
              profileList:
                - display_name: Merge
                  kubespawner_override:
                    environment: {B: B, C: c, A: null}
                    mem_limit: 2G
                    volumes: [{name: only, emptyDir: {}}]
                    volume_mounts: [{name: only, mountPath: /only}]
                  profile_options:
                    size:
                      display_name: Size
                      choices:
                        small: {display_name: Small, kubespawner_override: {mem_limit: 512M, mem_guarantee: 256M, environment: {C: small}}}
                        large: {display_name: Large, default: true, kubespawner_override: {mem_limit: 4G}}
            hub:
              config:
                KubeSpawner: {mem_limit: 3G}
            """).Cells;

        var small = cells.Single(c => c.Choices["size"] == "small");
        var large = cells.Single(c => c.Choices["size"] == "large");
        small.Launch.Env.Where(e => !e.Key.StartsWith("JUPYTER_IMAGE", StringComparison.Ordinal)).Should().Equal(
            new Dictionary<string, string> { ["B"] = "B", ["C"] = "small" }, "dict overrides merge recursively and a null deletes");
        small.Launch.MemLimit.Should().Be("536870912");
        large.Launch.MemLimit.Should().Be("4294967296");
        large.IsDefault.Should().BeTrue();
        small.Sources["mem_limit"].Should().Be("singleuser.profileList[merge].profile_options.size.choices.small.kubespawner_override.mem_limit");
        small.Sources["env.B"].Should().Be("singleuser.profileList[merge].kubespawner_override.environment.B");
        small.Launch.Storage!.Type.Should().Be("none", "a profile's volumes replace the home and extraFiles volumes (kubespawner#550)");
        small.Launch.Volumes.Select(v => v.Name).Should().Equal("only");
    }
}
