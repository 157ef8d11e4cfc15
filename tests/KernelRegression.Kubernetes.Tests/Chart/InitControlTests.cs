using KernelRegression.Evidence;
using KernelRegression.Kubernetes.Chart;
using KernelRegression.Kubernetes.Plan;
using KernelRegression.Matrix;
using KernelRegression.Tiers;

namespace KernelRegression.Kubernetes.Tests.Chart;

/// <summary>
/// The kind tier's incident control (<see cref="IInitControl"/>). Its spawn: the cell's deployment asking
/// for the chart values' control profile (KindGoldenPodTests holds that profile's pod to the real chart
/// and KubeSpawner). Its evidence: the pod's process tree and the kernel process watch, read through the
/// real KubernetesClient (<see cref="FakeKubeApi"/>, <see cref="FakeExecServer"/>) from a pod's pid
/// namespace made on this machine (<see cref="PodPidNamespace"/>), which tell the control's pod, whose
/// pause container is PID 1, from the incident cell's, whose server is.
/// </summary>
public sealed class InitControlTests
{
    private const string User = "student-1a2b3c4d";

    /// <summary>A stand-in server: bash under the server's name, its kernel a child whose command line names the connection file.</summary>
    private const string Server = """exec -a jupyterhub-singleuser bash -c 'sh -c "sleep 600" x "$F" & wait'""";

    /// <summary>A matrix cell deployed on a hub over a recorded pod, as the kind tier deploys it.</summary>
    private sealed class DeployedCell(MatrixCell cell, FakeKubeApi api) : IAsyncDisposable
    {
        public MatrixCell Cell { get; } = cell;
        public LaunchProfile Launch { get; } = KindPlan.LaunchOf(cell);
        public KubernetesHub Hub { get; } = FakeHub.Over(api);
        public CellDeployment Deployment => KindTier.On(Hub, Cell, Launch);

        public static DeployedCell Of(string cellId, string podFile) => new(Cells.Matrix.CellById(cellId), new FakeKubeApi(podFile));

        public async ValueTask DisposeAsync()
        {
            await Hub.DisposeAsync();
            api.Dispose();
        }
    }

    private static List<Dictionary<string, object?>>? ProfileList(MatrixCell cell, LaunchProfile launch)
    {
        var values = ChartValues.Build(ChartSpec.From(cell), launch, KindPlan.PlannedImageTag(cell.Image), KindGolden.ApiToken, KindGolden.DummyPassword);
        var singleuser = (Dictionary<string, object?>)values["singleuser"]!;
        return (singleuser.GetValueOrDefault("profileList") as List<object?>)?.Cast<Dictionary<string, object?>>().ToList();
    }

    [Theory]
    [InlineData("kind/hub-z2jh-4/img-bookworm-pre-pr233/profile-kubespawner-pr34-command")]
    [InlineData("kind/hub-z2jh-3/img-bookworm-pre-pr233/profile-kubespawner-pr38-args")]
    [InlineData("kind/hub-z2jh-4-ks6/img-sid/profile-default")]
    public async Task TheControlIsTheCellsDeploymentAskingForTheValuesControlProfile(string cellId)
    {
        // Given a cell deployed on its hub as the kind tier deploys it
        await using var deployed = DeployedCell.Of(cellId, "ks7-pod-running.json");
        var (cell, launch, hub, deployment) = (deployed.Cell, deployed.Launch, deployed.Hub, deployed.Deployment);

        // When the engine asks the tier for the control, as ControlLauncher does
        var control = ((IHubDeployment)hub).Get<IInitControl>()!.WithInitAsPid1(deployment);

        // Then it is the same hub, image, scenario and launch with an init, asking for the control's profile
        control.Should().NotBeNull();
        control!.UserOptions!.ToJsonString().Should().Be("""{"profile":"kr-init-control"}""");
        control.Launch.Should().Be(launch with { Init = true });
        control.Hub.Should().BeSameAs(hub);
        control.Image.Should().Be(deployment.Image);
        control.Scenario.Should().Be(deployment.Scenario);
        // And the cell's own spawn still sends none: KubeSpawner gives it the default profile, the cell's launch
        deployment.UserOptions.Should().BeNull();
        deployment.Launch.Should().BeSameAs(launch);

        // And the values the hub is installed with have the cell's launch as the default profile, overriding
        // nothing, and under the slug asked for the one override that shares the pod's process namespace
        var profiles = ProfileList(cell, launch)!;
        profiles.Select(p => p["slug"]).Should().Equal(InitControlProfile.CellSlug, control.UserOptions["profile"]!.GetValue<string>());
        profiles[0].Should().Contain("default", true).And.NotContainKey("kubespawner_override");
        profiles[1].Should().NotContainKey("default");
        var overrides = (Dictionary<string, object?>)profiles[1]["kubespawner_override"]!;
        overrides.Keys.Should().Equal("extra_pod_config");
        ((Dictionary<string, object?>)overrides["extra_pod_config"]!).Should().Equal(new Dictionary<string, object?> { ["shareProcessNamespace"] = true });
    }

    [Theory]
    [InlineData("kind/hub-z2jh-3/img-bookworm-pre-pr233/profile-docker-init")]
    [InlineData("kind/hub-z2jh-4/img-bookworm/profile-docker-init")]
    public async Task ALaunchWithAnInitAlreadyHasNoControlAndItsValuesNoProfileList(string cellId)
    {
        await using var deployed = DeployedCell.Of(cellId, "ks7-pod-shared-pid.json");

        deployed.Hub.WithInitAsPid1(deployed.Deployment).Should().BeNull();
        ProfileList(deployed.Cell, deployed.Launch).Should().BeNull();
    }

    [Fact]
    public void TheKindTierOffersTheControlAndNamesItsInit()
    {
        KubernetesHub.Missing.Should().NotContainKey(typeof(IInitControl));
        Capabilities.Table(typeof(KubernetesHub), KubernetesHub.Missing).Single(r => r.Capability.Name == "init-control").Offered.Should().BeTrue();
        InitControlProfile.InitAsPid1.Should().Contain("shareProcessNamespace").And.Contain("pause");
    }

    [Fact]
    public async Task TheControlsPodShowsThePauseContainerAsPid1AndItsKernelAChildOfTheServer()
    {
        // Given the control's pod: its pause container PID 1 of the shared namespace, the server's container entered into it
        var ct = TestContext.Current.CancellationToken;
        var kernelId = Guid.NewGuid().ToString();
        using var pod = await PodPidNamespace.StartAsync("/pause", "exec -a /pause sleep infinity", Env(kernelId), ct);
        pod.StartInside(Server);

        // When the kind tier reads it as ControlLauncher does: the kernel watch, then the evidence
        var (evidence, kernel) = await ReadAsync(pod, "ks7-pod-shared-pid.json", kernelId, ct);

        // Then PID 1 is the pause container, the server is not PID 1, and the kernel's parent is the server
        var tree = evidence.Processes!;
        tree.Pid1!.Command.Should().StartWith("/pause");
        tree.ServerIsPid1.Should().BeFalse();
        tree.Server!.PPid.Should().Be(0, "a container of a pod that shares its namespace is not PID 1's child");
        evidence.Container!.Init.Should().BeTrue("the pod spec shares its process namespace");
        kernel.ParentIsPid1.Should().BeFalse();
        kernel.ParentPid.Should().Be(tree.Server.Pid);
        kernel.ParentCommand.Should().StartWith("jupyterhub-singleuser");
    }

    [Fact]
    public async Task TheIncidentCellsPodShowsTheServerAsPid1AndItsKernelAChildOfPid1()
    {
        // Given the cell's own pod under the PR-34 launch: the server is the container's first process
        var ct = TestContext.Current.CancellationToken;
        var kernelId = Guid.NewGuid().ToString();
        using var pod = await PodPidNamespace.StartAsync("jupyterhub-singleuser", Server, Env(kernelId), ct);

        var (evidence, kernel) = await ReadAsync(pod, "ks7-pod-running.json", kernelId, ct);

        evidence.Processes!.ServerIsPid1.Should().BeTrue();
        evidence.Container!.Init.Should().BeFalse();
        kernel.ParentIsPid1.Should().BeTrue();
        kernel.ParentCommand.Should().StartWith("jupyterhub-singleuser");
    }

    private static Dictionary<string, string> Env(string kernelId) => new() { ["F"] = $"/tmp/kr-watch-test/kernel-{kernelId}.json" };

    /// <summary>The pod's kernel as the watch first sees it, and the pod's evidence, each through an exec into <paramref name="pod"/>.</summary>
    private static async Task<(TierEvidence Evidence, KernelProcessSeen Kernel)> ReadAsync(PodPidNamespace pod, string podObject, string kernelId, CancellationToken ct)
    {
        await using var exec = FakeExecServer.Start(inContainer: pod.Enter);
        using var api = new FakeKubeApi(podObject);
        await using var hub = FakeHub.Over(api, exec.Url);
        using var watch = ((IHubDeployment)hub).Get<IKernelProcessWatch>()!.WatchKernel(User, "", kernelId, ct);
        var kernel = await watch.NextProcessAsync(new HashSet<int>(), TimeSpan.FromSeconds(30), ct);
        var evidence = await ((IHubDeployment)hub).Get<IEvidenceSource>()!.CollectAsync(User, "", ct);
        exec.Failures.Should().BeEmpty();
        return (evidence, kernel);
    }
}
