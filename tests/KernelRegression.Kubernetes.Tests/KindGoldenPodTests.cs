using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using KernelRegression.Kubernetes.Chart;
using KernelRegression.Kubernetes.Plan;

namespace KernelRegression.Kubernetes.Tests;

/// <summary>
/// Each default kind cell's golden pod (its chart values rendered by the chart config and KubeSpawner of
/// the cell's hub, eng/golden-pods) is the pod the cell means: who is PID 1, the image, init containers,
/// memory/CPU limits and guarantees, uid/gid/fsGroup, env, lifecycle hooks, home volume. The pod of the
/// incident's control, rendered from the same values with the user_options the control's spawn sends, is
/// that pod with a shared process namespace and nothing else.
/// </summary>
public sealed class KindGoldenPodTests
{
    private sealed record Golden(MatrixCell Cell, LaunchProfile Profile, JsonObject Record, JsonObject Pod, JsonObject Container);

    private static Golden Of(string cellId)
    {
        var cell = KindGolden.Cell(cellId);
        var record = KindGolden.Pod(cell);
        record["kind"]!.GetValue<string>().Should().Be("pod", $"{cell.Id}: the chart and KubeSpawner refused its values: {record["refusal"]?.ToJsonString()}");
        var pod = record["pod"]!.AsObject();
        var container = pod["spec"]!["containers"]!.AsArray().Single(c => c!["name"]!.GetValue<string>() == "notebook")!.AsObject();
        return new Golden(cell, KindPlan.LaunchOf(cell), record, pod, container);
    }

    private static List<string>? Strings(JsonNode? node) => node?.AsArray().Select(n => n!.GetValue<string>()).ToList();

    /// <summary>JupyterHub's ByteSpecification: bytes, or a number with K, M, G, T (powers of 1024).</summary>
    private static long Bytes(string size)
    {
        var text = size.TrimEnd('i');
        var unit = "KMGT".IndexOf(text[^1], StringComparison.Ordinal);
        return unit < 0 ? long.Parse(text, CultureInfo.InvariantCulture)
            : (long)(double.Parse(text[..^1], CultureInfo.InvariantCulture) * Math.Pow(1024, unit + 1));
    }

    [Theory]
    [MemberData(nameof(KindGolden.CellIds), MemberType = typeof(KindGolden))]
    public void ThePodWasRenderedFromTheCommittedValuesByTheCellsChartAndKubeSpawner(string cellId)
    {
        var g = Of(cellId);
        var chart = ChartSpec.From(g.Cell);

        g.Record["chart"]!["tag"]!.GetValue<string>().Should().Be(chart.Chart);
        g.Record["kubespawner"]!["tag"]!.GetValue<string>().Should().Be(chart.EffectiveKubeSpawner);
        g.Record["values"]![0]!["sha256"]!.GetValue<string>().Should().Be(KindGolden.Sha256(Path.Combine(KindGolden.Folder(g.Cell), "values.yaml")),
            $"pod.json should be rendered from the committed values.yaml: run {KindGolden.Regenerate}");
    }

    [Theory]
    [MemberData(nameof(KindGolden.CellIds), MemberType = typeof(KindGolden))]
    public void Pid1IsWhoTheCellMeansAndTheKnownBadCellsHaveTheServerAsPid1(string cellId)
    {
        var g = Of(cellId);
        var shape = LaunchShape.Of(g.Profile, g.Cell.Image);

        // What the container runs: command replaces the image's ENTRYPOINT and drops its CMD; args replace CMD.
        var command = Strings(g.Container["command"]);
        var args = Strings(g.Container["args"]);
        command.Should().BeEquivalentTo(g.Profile.Command, o => o.WithStrictOrdering(), "the profile's command is the container's command, nothing else is");
        args.Should().BeEquivalentTo(g.Profile.Args, o => o.WithStrictOrdering(), "the profile's args are the container's args, nothing else is");
        IReadOnlyList<string> entrypoint = g.Cell.Image.Init == "tini" ? ["tini", "--"] : [];
        IReadOnlyList<string> argv = command is not null ? [.. command, .. args ?? []] : [.. entrypoint, .. args ?? [LaunchShape.SuiteCmd]];
        JsonSerializer.Serialize(argv).Should().Be(shape.Argv);

        var shared = Bool(g.Pod["spec"]!["shareProcessNamespace"]) ?? false;
        shared.Should().Be(g.Profile.Init, "an init launch shares the pod's process namespace, so the pause process is PID 1");
        var serverIsPid1 = !shared && (argv[0].EndsWith("jupyterhub-singleuser", StringComparison.Ordinal) || argv[0].EndsWith("jupyter-notebook", StringComparison.Ordinal));
        serverIsPid1.Should().Be(shape.ServerIsPid1 ?? false);
        if (g.Cell.Expected.CauseContains?.Contains("is PID 1", StringComparison.Ordinal) == true)
        {
            serverIsPid1.Should().BeTrue($"{g.Cell.Id} is known-bad because the server is PID 1 ({g.Cell.Expected.Reason})");
        }
    }

    [Theory]
    [MemberData(nameof(KindGolden.CellIds), MemberType = typeof(KindGolden))]
    public void TheImageAndTheInitContainersAreTheCells(string cellId)
    {
        var g = Of(cellId);

        g.Container["image"]!.GetValue<string>().Should().Be(KindPlan.PlannedImageTag(g.Cell.Image));
        var init = g.Pod["spec"]!["initContainers"]?.AsArray().Select(c => c!["name"]!.GetValue<string>()).ToList() ?? [];
        init.Should().Equal(g.Profile.InitContainers.Select(c => c.Name), "only the profile's init containers run (the chart's block-cloud-metadata is off)");
    }

    [Theory]
    [MemberData(nameof(KindGolden.CellIds), MemberType = typeof(KindGolden))]
    public void MemoryAndCpuLimitsAndGuaranteesAreTheProfiles(string cellId)
    {
        var g = Of(cellId);
        var resources = g.Container["resources"]!;

        Long(resources["limits"]?["memory"]).Should().Be(g.Profile.MemLimit is null ? null : Bytes(g.Profile.MemLimit));
        Double(resources["limits"]?["cpu"]).Should().Be(g.Profile.CpuLimit);
        Long(resources["requests"]?["memory"]).Should().Be(g.Profile.MemGuarantee is null ? null : Bytes(g.Profile.MemGuarantee));
        Double(resources["requests"]?["cpu"]).Should().Be(g.Profile.CpuGuarantee);
    }

    // A missing field is null, so an assertion on it still runs (a ?. chain would skip it).
    private static long? Long(JsonNode? n) => n?.GetValue<long>();
    private static double? Double(JsonNode? n) => n?.GetValue<double>();
    private static int? Int(JsonNode? n) => n?.GetValue<int>();
    private static bool? Bool(JsonNode? n) => n?.GetValue<bool>();
    private static string? Text(JsonNode? n) => n?.GetValue<string>();

    [Theory]
    [MemberData(nameof(KindGolden.CellIds), MemberType = typeof(KindGolden))]
    public void UserGroupFsGroupAndPrivilegeEscalationAreTheProfiles(string cellId)
    {
        var g = Of(cellId);
        var security = g.Container["securityContext"];

        Int(security?["runAsUser"]).Should().Be(g.Profile.Uid);
        Int(security?["runAsGroup"]).Should().Be(g.Profile.Gid);
        Bool(security?["allowPrivilegeEscalation"]).Should().Be(g.Profile.AllowPrivilegeEscalation);
        (Bool(security?["readOnlyRootFilesystem"]) ?? false).Should().Be(g.Profile.ReadOnlyRoot);
        Int(g.Pod["spec"]!["securityContext"]?["fsGroup"]).Should().Be(g.Profile.FsGid);
        Text(g.Container["workingDir"]).Should().Be(g.Profile.WorkingDir);
    }

    [Theory]
    [MemberData(nameof(KindGolden.CellIds), MemberType = typeof(KindGolden))]
    public void TheEnvHasTheProfilesValuesAndTheLimitsJupyterHubSets(string cellId)
    {
        var g = Of(cellId);
        var env = g.Container["env"]!.AsArray().ToDictionary(e => e!["name"]!.GetValue<string>(), e => e!["value"]?.GetValue<string>());

        foreach (var (name, value) in g.Profile.Env)
        {
            env.Should().Contain(name, value);
        }
        if (g.Profile.MemLimit is not null)
        {
            env.Should().Contain("MEM_LIMIT", Bytes(g.Profile.MemLimit).ToString(CultureInfo.InvariantCulture));
        }
        env.Should().Contain("JUPYTERHUB_API_TOKEN", "<JUPYTERHUB_API_TOKEN>");
    }

    [Theory]
    [MemberData(nameof(KindGolden.CellIds), MemberType = typeof(KindGolden))]
    public void TheLifecycleHookAndTheHomeVolumeAreTheProfiles(string cellId)
    {
        var g = Of(cellId);

        Strings(g.Container["lifecycle"]?["postStart"]?["exec"]?["command"]).Should().BeEquivalentTo(g.Profile.PostStart, o => o.WithStrictOrdering());
        var home = g.Profile.Storage ?? new HomeStorage();
        var mounts = g.Container["volumeMounts"]?.AsArray().Select(m => m!["mountPath"]!.GetValue<string>()).ToList() ?? [];
        if (home.Type == HomeStorage.None)
        {
            mounts.Should().NotContain(home.HomeMountPath);
        }
        else
        {
            mounts.Should().Contain(home.HomeMountPath);
            g.Record["pvc"].Should().NotBeNull("a dynamic home is a PersistentVolumeClaim KubeSpawner makes before the pod");
        }
    }

    [Theory]
    [MemberData(nameof(KindGolden.CellIds), MemberType = typeof(KindGolden))]
    public async Task TheControlsPodIsTheCellsPodWithASharedProcessNamespaceAndNothingElse(string cellId)
    {
        // Given the cell's pod and the control the kind tier would launch beside it
        var g = Of(cellId);
        using var api = new FakeKubeApi("ks7-pod-running.json");
        await using var hub = FakeHub.Over(api);
        var cell = KindTier.On(hub, g.Cell, g.Profile);
        var control = hub.WithInitAsPid1(cell);

        // Then the cell's pod was rendered for its own spawn, which sends no user_options
        g.Record["user_options"]!.ToJsonString().Should().Be(cell.UserOptions?.ToJsonString() ?? "{}");
        if (control is null)
        {
            g.Profile.Init.Should().BeTrue("only a launch with an init as PID 1 already has no control");
            g.Record["profile"].Should().BeNull("its values have no profile list");
            File.Exists(KindGolden.ControlPod(g.Cell)).Should().BeFalse($"{g.Cell.Id} has no control profile: run {KindGolden.Regenerate}");
            return;
        }
        Text(g.Record["profile"]?["slug"]).Should().Be(InitControlProfile.CellSlug, "the cell's spawn gets the default profile, the cell's launch");

        // And the control's pod was rendered for the user_options its spawn sends, from the same values
        var record = KindGolden.Record(KindGolden.ControlPod(g.Cell));
        record["kind"]!.GetValue<string>().Should().Be("pod", $"{g.Cell.Id}: the chart and KubeSpawner refused the control: {record["refusal"]?.ToJsonString()}");
        record["user_options"]!.ToJsonString().Should().Be(control.UserOptions!.ToJsonString());
        record["values"]!.ToJsonString().Should().Be(g.Record["values"]!.ToJsonString());

        // And it is the cell's pod (image, command/args, env, volumes, resources, security, labels) with the
        // pod's process namespace shared, and nothing else; its home claim is the cell's too
        Bool(g.Pod["spec"]!["shareProcessNamespace"]).Should().BeNull("the cell's own pod does not share its process namespace");
        var expected = g.Pod.DeepClone();
        expected["spec"]!["shareProcessNamespace"] = true;
        Differences(expected, record["pod"]).Should().BeEmpty("the control's pod should be the cell's plus shareProcessNamespace: true");
        Differences(g.Record["pvc"], record["pvc"]).Should().BeEmpty();
    }

    /// <summary>The JSON paths where two documents differ (a value, or a key on one side only), with both sides.</summary>
    private static IEnumerable<string> Differences(JsonNode? a, JsonNode? b, string path = "$")
    {
        switch (a, b)
        {
            case (JsonObject x, JsonObject y):
                foreach (var key in x.Select(p => p.Key).Union(y.Select(p => p.Key)))
                {
                    foreach (var d in Differences(x[key], y[key], $"{path}.{key}"))
                    {
                        yield return d;
                    }
                }
                break;
            case (JsonArray x, JsonArray y) when x.Count == y.Count:
                for (var i = 0; i < x.Count; i++)
                {
                    foreach (var d in Differences(x[i], y[i], $"{path}[{i}]"))
                    {
                        yield return d;
                    }
                }
                break;
            default:
                if (!JsonNode.DeepEquals(a, b))
                {
                    yield return $"{path}: {a?.ToJsonString() ?? "(none)"} vs {b?.ToJsonString() ?? "(none)"}";
                }
                break;
        }
    }
}
