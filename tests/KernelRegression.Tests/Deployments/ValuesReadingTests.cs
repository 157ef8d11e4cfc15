namespace KernelRegression.Tests.Deployments;

/// <summary>Values files read and merged as helm does; the z2jh section found wherever an umbrella chart puts it.</summary>
public sealed class ValuesReadingTests
{
    [Fact]
    public void AFileThatIsNotYamlIsNamedWithItsLineAndColumn()
    {
        Values.Refusal(() => Values.Of("jupyterhub:\n  singleuser:\n    image: {name: x, tag: \"1\"\n    uid: 1000\n")).What.Should().Match("values file a.yaml is not valid YAML * line 3, column *");
    }

    [Fact]
    public void ADuplicateKeyIsRefusedWithItsPlace()
    {
        Values.Refusal(() => Values.Of("singleuser:\n  uid: 1000\n  uid: 1001\n")).What.Should().Contain("a.yaml").And.Contain("line 3");
    }

    [Fact]
    public void PlainScalarsAreReadAsHelmReadsThemYaml11()
    {
        var root = ValuesYaml.Parse(new ValuesSource("a.yaml", "env: {A: yes, B: \"yes\", C: 0x10, D: 1.50, E: ~, F: 0644}\n")).Root;
        var c = Values.Cell("""
            singleuser:
              image: {name: x, tag: "1"}
              extraEnv: {B: "yes", E: ~}
              extraFiles:
                f: {mountPath: /etc/f, stringData: "x", mode: 0644}
            """);

        ValuesTree.AsMap(root["env"])!.Values.Should().Equal([true, "yes", 16L, 1.5, null, 420L], "go-yaml v2 reads yes as a boolean, 0x10 and 0644 as integers");
        c.Launch.Env["B"].Should().Be("yes");
        c.Launch.Env["E"].Should().Be("");
        c.Launch.ExtraFiles.Single().Mode.Should().Be(420, "0644 is octal in YAML 1.1");
        Values.Refusal(() => Values.Of("singleuser:\n  image: {name: x, tag: \"1\"}\n  extraEnv: {A: yes}\n")).What.Should()
            .Contain("singleuser.extraEnv.A is true, not text", "an unquoted yes is a boolean, which KubeSpawner cannot put in an env value");
    }

    [Fact]
    public void AnchorsAliasesAndMergeKeysWork()
    {
        var v = Values.Of("""
            singleuser:
              image: {name: x, tag: "1"}
              profileList:
                - display_name: A
                  kubespawner_override: &base {mem_limit: 1G, cpu_limit: 1}
                - display_name: B
                  kubespawner_override:
                    <<: *base
                    mem_limit: 2G
            """);

        v.Cells.Select(c => (c.Profile, c.Launch.MemLimit, c.Launch.CpuLimit)).Should().Equal(
            ("a", "1073741824", 1.0), ("b", "2147483648", 1.0));
    }

    [Fact]
    public void LaterFilesWinMapsMergeListsReplaceAndNullDeletes()
    {
        var c = Values.Cell(
            """
            jupyterhub:
              singleuser:
                image: {name: example.org/nb, tag: "1"}
                extraEnv: {KEEP: a, CHANGE: b, DROP: c}
                memory: {limit: 1G, guarantee: 512M}
                lifecycleHooks: {postStart: {exec: {command: [one, two]}}}
                storage:
                  extraVolumes: [{name: a, emptyDir: {}}, {name: b, emptyDir: {}}]
                  extraVolumeMounts: [{name: a, mountPath: /a}, {name: b, mountPath: /b}]
            """,
            """
            jupyterhub:
              singleuser:
                image: {tag: "2"}
                extraEnv: {CHANGE: B, DROP: null, NEW: d}
                memory: {guarantee: null}
                lifecycleHooks: {postStart: {exec: {command: [three]}}}
                storage:
                  extraVolumes: [{name: c, emptyDir: {}}]
                  extraVolumeMounts: [{name: c, mountPath: /c}]
            """);

        c.Image.FromValues.Should().Be("example.org/nb:2");
        c.Launch.Env.Where(e => !e.Key.StartsWith("JUPYTER_IMAGE", StringComparison.Ordinal)).Should().Equal(
            new Dictionary<string, string> { ["CHANGE"] = "B", ["DROP"] = "", ["KEEP"] = "a", ["NEW"] = "d" },
            "maps merge key by key; a null in a later file leaves no value (the chart has no default for DROP)");
        c.Launch.MemLimit.Should().Be("1073741824");
        c.Launch.MemGuarantee.Should().BeNull("a user's null deletes the chart's default guarantee of 1G");
        c.Launch.PostStart.Should().Equal("three");
        c.Launch.Volumes.Select(v => v.Name).Should().Equal(["c"], "lists are replaced whole, not merged");
    }

    [Fact]
    public void TheMergedValuesRoundTripAsYaml()
    {
        var v = DeploymentValues.Load([Values.Sample("common.yaml"), Values.Sample("staging.yaml")], Values.SampleOptions);

        var again = Values.With(Values.SampleOptions with { Label = "staging" }, v.MergedYaml());

        again.Cells.Select(c => c.Launch.ToSpawnerJson(c.Image.Target).ToJsonString()).Should().Equal(
            v.Cells.Select(c => c.Launch.ToSpawnerJson(c.Image.Target).ToJsonString()));
        v.MergedYaml().Should().Contain("COURSE_ENV: staging").And.Contain("tag: \"2026.11\"").And.StartWith("course:");
        v.SectionYaml().Should().StartWith("proxy:").And.Contain("singleuser:").And.NotContain("term: 2026-fall", "the umbrella chart's own values stay out");
        Values.With(Values.SampleOptions with { Label = "staging" }, v.SectionYaml()).Cells.Select(c => c.Launch.ToSpawnerJson(c.Image.Target).ToJsonString())
            .Should().Equal(v.Cells.Select(c => c.Launch.ToSpawnerJson(c.Image.Target).ToJsonString()));
    }

    /// <summary>Values files, as an operator writes them, and where their z2jh section is.</summary>
    public static readonly TheoryData<string, string> Sections = new()
    {
        { "singleuser: {image: {name: x, tag: \"1\"}}\n", "" },
        {
            """
            jupyterhub:
              singleuser: {image: {name: x, tag: "1"}}

            """, "jupyterhub"
        },
        {
            """
            course: {name: a}
            daskhub:
              basehub:
                jupyterhub:
                  singleuser: {image: {name: x, tag: "1"}}

            """, "daskhub.basehub.jupyterhub"
        },
        {
            """
            jupyterhub:
              hub: {config: {}}

            """, "jupyterhub"
        },
    };

    [Theory]
    [MemberData(nameof(Sections))]
    public void TheSectionIsFoundAtTheTopOrUnderUmbrellaChartsAtAnyDepth(string yaml, string expected)
    {
        Values.Of(yaml).SectionKey.Should().Be(expected);
    }

    [Fact]
    public void AnExplicitKeyPathNamesASectionUnderAnotherName()
    {
        var v = Values.With(new ValuesOptions { ValuesKey = "stack.hub2" }, "stack:\n  hub2:\n    singleuser: {image: {name: x, tag: \"1\"}, uid: 1234}\n");

        v.SectionKey.Should().Be("stack.hub2");
        v.Cells.Single().Launch.Uid.Should().Be(1234);
    }

    [Fact]
    public void NoSectionIsAnErrorListingTheTopLevelKeysAndTheKeyOption()
    {
        var e = Values.Refusal(() => Values.Of("course: {name: a}\nmonitoring:\n  grafana: {enabled: true}\n"));
        e.What.Should().Contain("top-level keys found: course, monitoring");
        e.Fix.Should().Contain("--values-key");
    }

    [Fact]
    public void AWrongKeyPathSaysWhereItStoppedAndWhatIsThere()
    {
        Values.Refusal(() => Values.With(new ValuesOptions { ValuesKey = "course.hub" }, "course:\n  name: a\n  jupyterhub: {singleuser: {}}\n")).What.Should().Contain("no map at 'course.hub'").And.Contain("keys at course: name, jupyterhub");
    }

    [Fact]
    public void TwoSectionsAreAmbiguousAndNamed()
    {
        Values.Refusal(() => Values.Of("a:\n  jupyterhub: {singleuser: {}}\nb:\n  jupyterhub: {hub: {}}\n")).What.Should().Contain("a.jupyterhub, b.jupyterhub");
    }

    [Fact]
    public void AMissingFileIsNamed()
    {
        Values.Refusal(() => DeploymentValues.Load(["/nonexistent/values.yaml"])).What.Should().Contain("/nonexistent/values.yaml does not exist");
    }
}
