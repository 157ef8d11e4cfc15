using KernelRegression.Kubernetes.Cluster;
using KernelRegression.Kubernetes.Commands;
using KernelRegression.Kubernetes.Plan;

namespace KernelRegression.Kubernetes.Tests.Plan;

public sealed class PlanExecutorTests : IDisposable
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "kr-exec-" + Guid.NewGuid().ToString("N"));

    private RunValues Values() => new() { RunId = "20261124-101010-abcdef", RunDirectory = _dir, HostPort = 41234, ApiToken = "tok-0123456789abcdef", DummyPassword = "pw-0123456789" };

    [Fact]
    public async Task ARunIssuesExactlyThePlannedCommandsWithTheBuiltImage()
    {
        // Given the plan of a cell whose KubeSpawner is not the chart's, and a runner that records argv
        var plan = KindPlan.For(Cells.Kind("z2jh-4-ks6"), LaunchProfile.Resolve("default"), "20261124-101010-abcdef", runDirectory: _dir);
        var runner = new RecordingRunner();
        var waiter = new RecordingWaiter();
        var values = Values();

        // When it runs
        await new PlanExecutor(runner, new FixedImage("kr/singleuser:sid-default-0123abcd"), waiter).RunAsync(plan.Steps, values, TestContext.Current.CancellationToken);

        // Then
        runner.Argv.Should().HaveCount(9);
        runner.Argv[3].Should().Be("kind get clusters");
        runner.Argv[4].Should().StartWith("docker build -t kr/k8s-hub:4.2.0-kubespawner-6.2.0 ");
        runner.Argv[5].Should().Be($"kind create cluster --name kr-20261124-101010-abcdef --config {_dir}/kind-config.yaml --kubeconfig {_dir}/kubeconfig --wait 120s");
        runner.Argv[6].Should().Be("kind load docker-image kr/singleuser:sid-default-0123abcd --name kr-20261124-101010-abcdef");
        runner.Argv[7].Should().Be("kind load docker-image kr/k8s-hub:4.2.0-kubespawner-6.2.0 --name kr-20261124-101010-abcdef");
        runner.Argv[8].Should().StartWith("helm upgrade --install kr jupyterhub --repo https://hub.jupyter.org/helm-chart/ --version 4.2.0 ");
        waiter.Awaited.Should().Equal(AwaitTarget.DeploymentsAvailable, AwaitTarget.HubApi);
        (await File.ReadAllTextAsync(Path.Combine(_dir, "values.yaml"), TestContext.Current.CancellationToken)).Should().Contain("apiToken: \"tok-0123456789abcdef\"").And.Contain("tag: \"sid-default-0123abcd\"");
        (await File.ReadAllTextAsync(Path.Combine(_dir, "kind-config.yaml"), TestContext.Current.CancellationToken)).Should().Contain("hostPort: 41234");
    }

    [Fact]
    public async Task TeardownDeletesTheRunsClusterOnly()
    {
        var plan = KindPlan.For(Cells.Kind("z2jh-4"), LaunchProfile.Resolve("default"), "20261124-101010-abcdef", runDirectory: _dir);
        var runner = new RecordingRunner();

        await new PlanExecutor(runner, new FixedImage("x:y"), new RecordingWaiter()).TeardownAsync(plan.Steps, Values(), TestContext.Current.CancellationToken);

        runner.Argv.Should().Equal("kind delete cluster --name kr-20261124-101010-abcdef");
    }

    [Fact]
    public async Task AMissingProgramIsAMissingPrerequisiteNamingTheFix()
    {
        var plan = KindPlan.For(Cells.Kind("z2jh-4"), LaunchProfile.Resolve("default"), "20261124-101010-abcdef", runDirectory: _dir);
        var runner = new RecordingRunner(new() { ["kind version"] = new CommandResult(127, "", "kind: not found") });

        var act = () => new PlanExecutor(runner, new FixedImage("x:y"), new RecordingWaiter()).RunAsync(plan.Steps, Values(), TestContext.Current.CancellationToken);

        (await act.Should().ThrowAsync<MissingPrerequisiteException>()).Which.Fix.Should().Contain("install kind");
        runner.Argv.Should().HaveCount(2, "nothing runs after a failed probe");
    }

    [Fact]
    public async Task TheSweepDeletesOnlyOurClustersOfRunsThatAreNotLive()
    {
        var runner = new RecordingRunner(new() { ["kind get clusters"] = new CommandResult(0, "kind\nkr-20260101-000000-dead00\nkr-20261124-101010-live00\n", "") });

        var swept = await ClusterSweep.SweepKindAsync(runner, _ => { }, TestContext.Current.CancellationToken, isLive: id => id.EndsWith("live00", StringComparison.Ordinal));

        swept.Should().Equal("kr-20260101-000000-dead00");
        runner.Argv.Should().Equal("kind get clusters", "kind delete cluster --name kr-20260101-000000-dead00");
    }

    [Fact]
    public async Task ALoadThatHitsDockersContainerdImageStoreIsRetriedWithOnePlatformAsAnArchive()
    {
        // Given kind answering as it does on Docker 29's containerd image store (kubernetes-sigs/kind#3795)
        var plan = KindPlan.For(Cells.Kind("z2jh-4"), LaunchProfile.Resolve("default"), "20261124-101010-abcdef", runDirectory: _dir);
        var runner = new RecordingRunner(new()
        {
            ["kind load docker-image"] = new CommandResult(1, "", "ERROR: failed to load image: command \"docker exec --privileged -i kr-x-control-plane ctr --namespace=k8s.io images import --all-platforms --digests --snapshotter=overlayfs -\" failed with error: exit status 1\nCommand Output: ctr: content digest sha256:82014a3cbf22d2e03382cd9b123f4151d956986e727340a466406a206408b7a2: not found"),
        });

        // When the plan runs
        await new PlanExecutor(runner, new FixedImage("kr/singleuser:sid-default-0123abcd"), new RecordingWaiter()).RunAsync(plan.Steps, Values(), TestContext.Current.CancellationToken);

        // Then the image is saved for this machine's platform and loaded as an archive, and the run goes on
        var at = runner.Argv.ToList().FindIndex(a => a.StartsWith("kind load docker-image", StringComparison.Ordinal));
        runner.Argv[at + 1].Should().MatchRegex(@"^docker image save --platform linux/(amd64|arm64) -o \S+/image-[0-9a-f]{12}\.tar kr/singleuser:sid-default-0123abcd$");
        runner.Argv[at + 2].Should().MatchRegex(@"^kind load image-archive \S+/image-[0-9a-f]{12}\.tar --name kr-20261124-101010-abcdef$");
        runner.Argv[^1].Should().StartWith("helm upgrade --install");
    }

    [Fact]
    public async Task WhenTheWorkaroundFailsTooTheErrorSaysHowToTurnTheStoreOff()
    {
        var plan = KindPlan.For(Cells.Kind("z2jh-4"), LaunchProfile.Resolve("default"), "20261124-101010-abcdef", runDirectory: _dir);
        var runner = new RecordingRunner(new()
        {
            ["kind load docker-image"] = new CommandResult(1, "", "ctr: content digest sha256:0123: not found"),
            ["kind load image-archive"] = new CommandResult(1, "", "ctr: content digest sha256:4567: not found"),
        });

        var act = () => new PlanExecutor(runner, new FixedImage("x:y"), new RecordingWaiter()).RunAsync(plan.Steps, Values(), TestContext.Current.CancellationToken);

        var e = (await act.Should().ThrowAsync<HarnessException>()).Which;
        e.What.Should().Contain("kubernetes-sigs/kind/issues/3795");
        e.Fix.Should().Contain("containerd-snapshotter").And.Contain("/etc/docker/daemon.json");
    }

    [Fact]
    public async Task AnyOtherLoadFailureIsReportedAsItIs()
    {
        var plan = KindPlan.For(Cells.Kind("z2jh-4"), LaunchProfile.Resolve("default"), "20261124-101010-abcdef", runDirectory: _dir);
        var runner = new RecordingRunner(new() { ["kind load docker-image"] = new CommandResult(1, "", "ERROR: image: \"x:y\" not present locally") });

        var act = () => new PlanExecutor(runner, new FixedImage("x:y"), new RecordingWaiter()).RunAsync(plan.Steps, Values(), TestContext.Current.CancellationToken);

        (await act.Should().ThrowAsync<HarnessException>()).Which.What.Should().Contain("not present locally").And.NotContain("3795");
        runner.Argv.Should().NotContain(a => a.StartsWith("docker image save", StringComparison.Ordinal));
    }

    [Fact]
    public void ACommandLineQuotesWhatAShellWouldSplit() =>
        CommandLine.Of("docker", "version", "--format", "{{.Server.Version}}").ToString().Should().Be("docker version --format '{{.Server.Version}}'");

    public void Dispose()
    {
        if (Directory.Exists(_dir))
        {
            Directory.Delete(_dir, recursive: true);
        }
    }
}
