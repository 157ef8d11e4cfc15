using KernelRegression.Matrix;
using KernelRegression.Kubernetes.Cluster;
using KernelRegression.Kubernetes.Commands;
using KernelRegression.Kubernetes.Plan;

namespace KernelRegression.Kubernetes.Tests;

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
        (await File.ReadAllTextAsync(Path.Combine(_dir, "values.yaml"), TestContext.Current.CancellationToken)).Should().Contain("apiToken: tok-0123456789abcdef").And.Contain("tag: sid-default-0123abcd");
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
