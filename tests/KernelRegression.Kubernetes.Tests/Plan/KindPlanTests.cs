using KernelRegression.Kubernetes.Plan;

namespace KernelRegression.Kubernetes.Tests.Plan;

public sealed class KindPlanTests
{
    private const string RunId = "20261124-101010-abcdef";

    private static KindPlan PlanOf(string hub, string image = "sid", string profile = "default") =>
        KindPlan.For(Cells.Kind(hub, image, profile), LaunchProfile.Resolve(profile), RunId, hostPort: 41234, runDirectory: "/tmp/kr-plan-test/" + RunId);

    [Fact]
    public void ThePlanListsEveryCommandWithItsArgumentsInOrder()
    {
        var text = PlanOf("z2jh-4").Render();

        var order = new[]
        {
            "run    docker version",
            "run    kind version",
            "run    helm version --short",
            "kind get clusters",
            "build  kr/singleuser:sid-default-<content-hash>",
            "write  /tmp/kr-plan-test/20261124-101010-abcdef/kind-config.yaml",
            "run    kind create cluster --name kr-20261124-101010-abcdef --config /tmp/kr-plan-test/20261124-101010-abcdef/kind-config.yaml --kubeconfig /tmp/kr-plan-test/20261124-101010-abcdef/kubeconfig --wait 120s",
            "run    kind load docker-image 'kr/singleuser:sid-default-<content-hash>' --name kr-20261124-101010-abcdef",
            "write  /tmp/kr-plan-test/20261124-101010-abcdef/values.yaml",
            "run    helm upgrade --install kr jupyterhub --repo https://hub.jupyter.org/helm-chart/ --version 4.2.0 --namespace kr --create-namespace --kubeconfig /tmp/kr-plan-test/20261124-101010-abcdef/kubeconfig --values /tmp/kr-plan-test/20261124-101010-abcdef/values.yaml --timeout 10m",
            "await  deployments hub and proxy Available in namespace kr (deadline 300 s",
            "await  GET http://127.0.0.1:41234/hub/api/ answers a version (deadline 60 s)",
            "run    kind delete cluster --name kr-20261124-101010-abcdef",
        };
        var at = 0;
        foreach (var line in order)
        {
            var found = text.IndexOf(line, at, StringComparison.Ordinal);
            found.Should().BeGreaterThan(-1, $"the plan should contain «{line}» after position {at}:\n{text}");
            at = found;
        }
    }

    [Fact]
    public void ThePlanShowsTheRenderedFilesAndRedactsSecrets()
    {
        var text = PlanOf("z2jh-4").Render();

        text.Should().Contain("| name: kr-20261124-101010-abcdef").And.Contain("|   image: kindest/node:v1.32.5");
        text.Should().Contain("|     hostPort: 41234");
        text.Should().Contain("|     type: \"NodePort\"").And.Contain("apiToken: \"<random 32-byte hex token, made at run start, redacted>\"");
    }

    [Fact]
    public void AKubeSpawnerTheChartDoesNotShipAddsTheHubImageBuildAndLoad()
    {
        var text = PlanOf("z2jh-4-ks6").Render();

        text.Should().Contain("docker build -t kr/k8s-hub:4.2.0-kubespawner-6.2.0 --build-arg CHART_VERSION=4.2.0 --build-arg KUBESPAWNER_VERSION=6.2.0");
        text.Should().Contain("kind load docker-image kr/k8s-hub:4.2.0-kubespawner-6.2.0 --name kr-20261124-101010-abcdef");
        PlanOf("z2jh-4").Render().Should().NotContain("docker build");
    }

    [Fact]
    public void TheChartThreePlanUsesItsNodeImageAndChartVersion()
    {
        var text = PlanOf("z2jh-3", "bookworm", "kubespawner-pr34-command").Render();

        text.Should().Contain("--version 3.3.8").And.Contain("image: kindest/node:v1.30.13");
        text.Should().Contain("hub: chart 3.3.8 (JupyterHub 4.1.6, KubeSpawner 6.2.0)");
        text.Should().Contain("extra_container_config:").And.Contain("build  kr/singleuser:bookworm-default-<content-hash>");
    }

    [Fact]
    public void MakingAPlanHasNoSideEffects()
    {
        var dir = Path.Combine(Path.GetTempPath(), "kr-plan-" + Guid.NewGuid().ToString("N"));

        var plan = KindPlan.For(Cells.Kind("z2jh-4"), LaunchProfile.Resolve("default"), RunId, runDirectory: dir);
        _ = plan.Render();

        Directory.Exists(dir).Should().BeFalse();
        plan.Render().Should().Contain("hub URL http://127.0.0.1:<free port>/");
    }

    [Fact]
    public void AKnownBadCellSaysSoInItsPlan()
    {
        var text = PlanOf("z2jh-4", "bookworm-pre-pr233", "kubespawner-pr34-command").Render();

        text.Should().Contain("expected: fail (server is PID 1");
    }

    [Fact]
    public void AnIncidentCellsPlanShowsThePid1LaunchTheEvidenceAndTheCauseItIsJudgedBy()
    {
        // Given the incident on chart 3 (KubeSpawner 6.2.0): the pre-fix kernel under the PR-34 launch
        var text = PlanOf("z2jh-3", "bookworm-pre-pr233", "kubespawner-pr34-command").Render();

        // Then the plan says who is PID 1 and why, what evidence it collects, and the cause it must find
        text.Should().Contain("notebook container runs [\"jupyterhub-singleuser\",\"--ip=0.0.0.0\",\"--port=8888\"]");
        text.Should().Contain("PID 1: jupyterhub-singleuser, the single-user server itself: the server is PID 1");
        text.Should().Contain("extra_container_config.command");
        text.Should().Contain("judged by cause: the cell's cause must contain \"while the server, its parent, is PID 1\"");
        text.Should().Contain("pod jupyter-student-2d1a2b3c4d, selector component=singleuser-server,hub.jupyter.org/username=student-2d1a2b3c4d");
        text.Should().Contain("proc.server.is_pid1").And.Contain("last termination (reason e.g. OOMKilled, exit code), restart count").And.Contain("events");
        // And the evidence the incident's cause is claimed from: the kernel process watch inside the pod
        text.Should().Contain("the kernel process watch").And.Contain("exec `sh -c` in container notebook")
            .And.Contain("whether that parent is PID 1 of the pod, and its exit the moment it happens");
        // And the control it is claimed with: another student asking for the values' second profile
        text.Should().Contain("the incident's control, another student spawned with")
            .And.Contain("""user_options {"profile":"kr-init-control"}""").And.Contain("this pod with shareProcessNamespace: true");
    }

    [Fact]
    public void ALaunchWithAnInitAlreadySaysItHasNoControl() =>
        PlanOf("z2jh-4", "bookworm-pre-pr233", "docker-init").Render()
            .Should().Contain("no control launch: this launch has an init as PID 1 already").And.NotContain("kr-init-control");

    [Theory]
    [InlineData("default", "PID 1: /usr/local/bin/start-singleuser.sh (a shell that runs the server as its child): the server is not PID 1")]
    [InlineData("docker-init", "PID 1: /pause, the pod's sandbox (shareProcessNamespace: true): the server is not PID 1")]
    [InlineData("kubespawner-pr38-args", "PID 1: jupyterhub-singleuser, the single-user server itself: the server is PID 1")]
    public void ThePlanSaysWhoIsPid1ForEachIncidentLaunch(string profile, string line) =>
        PlanOf("z2jh-4", "bookworm-pre-pr233", profile).Render().Should().Contain(line);

    [Fact]
    public void TheIncidentCellsExistForEveryKindHubAndAreSelectableByGlob()
    {
        // When KR_CELLS selects the pre-fix kernel on the kind tier
        var cells = KindTier.Selected(Cells.Matrix, "kind/*/img-bookworm-pre-pr233/*");

        // Then every kind hub has the PR-34, PR-38, default and shared-namespace launches, judged by cause where known-bad
        cells.Should().HaveCount(12);
        cells.Select(c => c.Hub.Name).Distinct().Should().BeEquivalentTo(["z2jh-3", "z2jh-4", "z2jh-4-ks6"]);
        foreach (var c in cells)
        {
            var bad = c.Profile is "kubespawner-pr34-command" or "kubespawner-pr38-args";
            c.Expected.ExpectFailure.Should().Be(bad, c.Id);
            if (bad)
            {
                c.Expected.CauseContains.Should().Be("while the server, its parent, is PID 1", c.Id);
                c.Expected.Link.Should().NotBeNullOrEmpty();
            }
        }
        KindTier.Selected(Cells.Matrix, "kind/hub-z2jh-4/img-bookworm/*").Select(c => c.Profile)
            .Should().BeEquivalentTo(["default", "kubespawner-pr34-command", "docker-init"], "the fixed kernel passes under every launch");
    }

    [Fact]
    public void EveryKnownBadKindCellNamesTheCauseItMustBeCaughtBy() =>
        KindTier.Selected(Cells.Matrix, null).Where(c => c.Expected.ExpectFailure)
            .Should().OnlyContain(c => !string.IsNullOrEmpty(c.Expected.CauseContains) && !string.IsNullOrEmpty(c.Expected.Reason));

    [Fact]
    public void AScenarioCellsPlanRendersTheScenariosOverrides()
    {
        // memory-limit-too-small lowers mem_limit; on kind it must reach the chart values as on docker
        var cell = Cells.Matrix.Cell("kind", "z2jh-4", "bookworm", "default", "memory-limit-too-small");
        var launch = KindPlan.LaunchOf(cell);

        launch.MemLimit.Should().NotBe(LaunchProfile.Resolve("default").MemLimit);
        KindPlan.For(cell, launch, RunId, hostPort: 41234, runDirectory: "/tmp/kr-plan-test/" + RunId).Render()
            .Should().Contain($"limit: \"{launch.MemLimit}\"");
    }
}
