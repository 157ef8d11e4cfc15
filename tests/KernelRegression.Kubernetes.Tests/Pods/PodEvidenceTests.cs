using k8s.Models;
using KernelRegression.Kubernetes.Pods;

namespace KernelRegression.Kubernetes.Tests.Pods;

/// <summary>A student's pod as evidence: the typed record from API objects and a probe, and its one flattening to the engine's facts.</summary>
public sealed class PodEvidenceTests
{
    // What ServerProbe.Script prints in the suite's images (no ps: the /proc reader) under the PR-34
    // launch: the server is PID 1, the kernel its child. Shape as ContainerFacts' probe prints it.
    private const string IncidentProbe = """
        ---table proc
        1 0 1000 /usr/bin/python3 /usr/bin/jupyterhub-singleuser --ip=0.0.0.0 --port=8888
        23 1 1000 /usr/bin/python3 -m ipykernel_launcher -f /home/jovyan/.local/share/jupyter/runtime/kernel-5f0c9a7e-3c1d-4e8b-9a61-2f7d1c0b8e44.json
        31 0 1000 sh -c printf '\055\055\055table '
        ---versions
        {"kernel_patch": "pre-pr233", "ipykernel": "6.17.0", "jupyterhub": "3.0.0"}
        ---home
        true
        ---oom
        low 0
        high 0
        max 0
        oom 0
        oom_kill 0
        """;

    // `ps -e -o pid=,ppid=,uid=,args=` in a pod with a shared process namespace: right-aligned columns, pause at PID 1.
    private const string SharedNamespaceProbe = """
        ---table ps
              1       0 65535 /pause
              7       0  1000 jupyterhub-singleuser --ip=0.0.0.0 --port=8888
             40       7  1000 /usr/bin/python3 -m ipykernel_launcher -f /home/jovyan/.local/share/jupyter/runtime/kernel-0d9e.json
             52       0  1000 ps -e -o pid=,ppid=,uid=,args=
        ---versions
        ---home
        false
        ---oom
        """;

    private static V1Pod Pod(string file) => ApiObjects.Read<V1Pod>(file);

    /// <summary>The recorded pod as the kind tier reads it after finding it by its labels, with no events.</summary>
    private static TierEvidence FoundByLabels(string file, ProbeResult? probe = null, string? probeError = null) =>
        PodEvidence.From(Pod(file), "labels", [], probe, probeError).ToTierEvidence();

    private static Dictionary<string, string> Facts(TierEvidence evidence) =>
        (CellEvidence.Empty with { Server = evidence }).Facts().GroupBy(f => f.Key).ToDictionary(g => g.Key, g => g.Last().Value);

    [Fact]
    public void AServerOomKilledAndBroughtBackInTheSamePodReadsAsRestartedWithItsLastTermination()
    {
        // Given the pod after its notebook container was OOM-killed and restarted, and the pod's events
        var events = ApiObjects.Read<Corev1EventList>("ks7-events-oomkilled.json").Items;
        var evidence = PodEvidence.From(Pod("ks7-pod-restarted-oomkilled.json"), "the hub's server state", events, probe: null, probeError: "not probed");

        // When it is flattened to the engine's facts
        var facts = Facts(evidence.ToTierEvidence());

        // Then the termination is there with its reason and exit code, and the restart is not mistaken for a healthy run
        evidence.RestartCount.Should().Be(1);
        evidence.LastTermination.Should().Be(new ContainerRun("terminated", "OOMKilled", 137, null, "containerd://" + string.Concat(Enumerable.Repeat("a1", 32))));
        facts["container.status"].Should().Be("restarted");
        facts["container.exit_code"].Should().Be("137");
        facts["container.oom_killed"].Should().Be("true");
        facts["container.memory"].Should().Be("1073741824");
        facts["pod.phase"].Should().Be("Running");
        facts["pod.conditions"].Should().Contain("Ready=True").And.Contain("PodScheduled=True");
        facts["container.restart_count"].Should().Be("1");
        facts["container.last_termination"].Should().Be("terminated (OOMKilled, exit 137)");
        facts["pod.events"].Should().StartWith("BackOff: Back-off restarting failed container notebook").And.NotContain("Scheduled");
        facts["container.entrypoint"].Should().Be("[\"jupyterhub-singleuser\",\"--ip=0.0.0.0\",\"--port=8888\"]");
        facts["pod.probe_error"].Should().Be("not probed");
        evidence.ToTierEvidence().Attachments.Single(a => a.Name == "pod.txt").Text.Should().Contain("Warning BackOff").And.Contain("Normal Pulled (x2)");
    }

    [Fact]
    public void TheIncidentsLaunchShowsTheServerAsPid1AndTheKernelAsItsChild()
    {
        var probe = ServerProbe.Parse(IncidentProbe);
        var evidence = FoundByLabels("ks7-pod-running.json", probe);
        var facts = Facts(evidence);

        probe.Source.Should().Be("proc");
        facts["proc.pid1"].Should().Be("/usr/bin/python3 /usr/bin/jupyterhub-singleuser --ip=0.0.0.0 --port=8888");
        facts["proc.server.pid"].Should().Be("1");
        facts["proc.server.is_pid1"].Should().Be("true");
        facts["proc.kernel.pid"].Should().Be("23");
        facts["proc.kernel.ppid"].Should().Be("1");
        facts["versions.kernel_patch"].Should().Be("pre-pr233");
        facts["container.oom_kills"].Should().Be("0");
        facts["user.home.writable"].Should().Be("true");
        facts["container.status"].Should().Be("running");
        facts["container.exit_code"].Should().Be("0");
        facts["container.oom_killed"].Should().Be("false");
        evidence.Processes!.Render().Should().StartWith("PID PPID UID COMMAND\n1 0 1000 /usr/bin/python3 /usr/bin/jupyterhub-singleuser");
    }

    [Fact]
    public void WithASharedProcessNamespaceThePauseProcessIsPid1AndTheServerIsNot()
    {
        var probe = ServerProbe.Parse(SharedNamespaceProbe);
        var facts = Facts(FoundByLabels("ks7-pod-shared-pid.json", probe));

        probe.Source.Should().Be("ps");
        facts["proc.pid1"].Should().Be("/pause");
        facts["proc.server.pid"].Should().Be("7");
        facts["proc.server.is_pid1"].Should().Be("false");
        facts["proc.kernel.ppid"].Should().Be("7");
        facts["pod.share_process_namespace"].Should().Be("true");
        facts["container.init"].Should().Be("true");
        facts["user.home.writable"].Should().Be("false");
        facts.Should().NotContainKey("container.oom_kills");
    }

    [Fact]
    public void SecretsInThePodsEnvironmentAreMaskedAndTheRestKept()
    {
        var evidence = FoundByLabels("ks7-pod-running.json");
        var facts = Facts(evidence);

        facts["env.JUPYTERHUB_API_TOKEN"].Should().Be(Secrets.Mask);
        facts["env.JPY_API_TOKEN"].Should().Be(Secrets.Mask);
        facts["env.KR_COURSE_FLAG"].Should().Be("true");
        string.Join('\n', evidence.Environment.Values).Should().NotContain("0123456789abcdef0123456789abcdef");
    }

    [Fact]
    public void WhatTheCellLaunchedIsInTheFactsBesideWhatThePodSays()
    {
        var evidence = CellEvidence.Empty with
        {
            Image = "kr/singleuser:bookworm-pre-pr233-0123abcd",
            Launch = Matrix.LaunchProfile.Resolve("kubespawner-pr34-command"),
            Server = FoundByLabels("ks7-pod-running.json"),
        };

        var facts = evidence.Facts().ToDictionary(f => f.Key, f => f.Value);

        facts["image"].Should().Be("kr/singleuser:bookworm-pre-pr233-0123abcd");
        facts["profile.command"].Should().Be("[\"jupyterhub-singleuser\",\"--ip=0.0.0.0\",\"--port=8888\"]");
        facts["profile.init"].Should().Be("false");
        facts["profile.mem_limit"].Should().Be("1G");
    }

    [Fact]
    public void APodWaitingToStartHasNoExitCodeAndSaysWhy()
    {
        var facts = Facts(FoundByLabels("ks7-pod-creating.json", probeError: "no process tree: container notebook is not running"));

        facts["container.status"].Should().Be("waiting");
        facts["container.exit_code"].Should().BeEmpty();
        facts["pod.container.state"].Should().Be("waiting (ContainerCreating)");
        facts.Should().NotContainKey("container.last_termination");
        facts["pod.probe_error"].Should().Contain("not running");
    }

    [Fact]
    public void TheProbeScriptNamesNoServerOrKernelSoItsOwnRowIsNeverTakenForOne()
    {
        var self = new ProcessRow(31, 0, 1000, "sh -c " + ServerProbe.Script.Replace('\n', ' '));

        self.IsServer.Should().BeFalse();
        self.IsKernel.Should().BeFalse();
    }
}
