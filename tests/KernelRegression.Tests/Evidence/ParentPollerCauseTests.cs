namespace KernelRegression.Tests.Evidence;

/// <summary>
/// The incident's cause is claimed only when shown: the dead kernel's own processes under a server the tree
/// recognises as PID 1, a silent death at start, and a control (the same launch with an init) that kept its
/// kernel alive. Each row takes one piece away and the claim must go with it.
/// </summary>
public sealed class ParentPollerCauseTests
{
    private const string KernelId = "98029569-4298-4e8e-87b2-d51508fb2bf1";
    private const string Server = "/usr/bin/python3 /usr/bin/jupyterhub-singleuser --ip=0.0.0.0 --port=8888";

    private static readonly ControlLaunch KeptAlive = new()
    {
        Launch = "kubespawner-pr34-command with an init as PID 1 (docker --init)",
        AnsweredAfter = TimeSpan.FromSeconds(1.3), AliveFor = TimeSpan.FromSeconds(3), ServerIsPid1 = false, Pid1 = "/sbin/docker-init -- jupyterhub-singleuser",
    };

    private static KernelProcessSeen Dead(string kernelId = KernelId, string parent = Server, bool parentIsPid1 = true, ProcessEnd? end = null) =>
        new(kernelId, 27246, 26859, parent, parentIsPid1, TimeSpan.FromSeconds(0.2), TimeSpan.FromSeconds(0.6)) { End = end ?? ProcessEnd.Exited(1) };

    private static CellEvidence Evidence(ControlLaunch? control = null, ProcessTree? tree = null, params KernelProcessSeen[] processes) => new()
    {
        Tier = "docker",
        Server = new TierEvidence { Processes = tree ?? new ProcessTree([new ProcessRow(1, 0, 1000, Server), new ProcessRow(40, 1, 1000, "/usr/bin/python3 -m ipykernel_launcher -f /home/jovyan/.local/share/jupyter/runtime/kernel-x.json")]) },
        KernelProcesses = processes.Length > 0 ? processes : [Dead()],
        Control = control,
    };

    private static KernelDiedException Died(bool atStart = true, string cause = "[I 2026-12-06 19:09:55.534 SingleUserNotebookApp restarter:136] KernelRestarter: restarting kernel (1/5), new random ports") =>
        new(KernelId, "restarting: kernel process exited", TimeSpan.FromSeconds(8), cause, "", atStart);

    private static string Cause(KernelDiedException died, CellEvidence evidence) => Explainer.Cause(new CheckFailure(died, IsHarness: false), evidence);

    [Fact]
    public void TheMechanismIsClaimedWithTheDeadKernelsOwnProcessesTheTreeAndAControlThatKeptItsKernel()
    {
        var cause = Cause(Died(), Evidence(KeptAlive));

        cause.Should().StartWith(ParentPoller.Proven).And.Contain("exited 0.6 s after start, exit 1")
            .And.Contain("the control (kubespawner-pr34-command with an init as PID 1 (docker --init)) kept its kernel alive: it answered kernel_info 1.3 s after its start and ran code 3.0 s later")
            .And.Contain("ipython/ipykernel#233");
        CauseSignature.Of(cause).Should().Be("pid1-parent-poller");
    }

    [Fact]
    public void WithoutAControlTheCauseSaysWhatWasSeenAndThatItIsNotProven()
    {
        var cause = Cause(Died(), Evidence(ControlLaunch.None("the kind tier cannot")));

        cause.Should().StartWith("kernel died 0.6 s after start, exit 1, without an error of its own; its parent, the server")
            .And.Contain("is PID 1 of its namespace").And.EndWith("not proven: no control (the kind tier cannot)");
        cause.Should().NotContain("while the server, its parent, is PID 1");
    }

    [Fact]
    public void AControlThatLostItsKernelTooRefutesThePoller()
    {
        var control = KeptAlive with { AliveFor = null, Died = "its kernel process exited after 0.5 s, exit 1 (as the cell's did)" };

        var cause = Cause(Died(), Evidence(control));

        cause.Should().Contain("lost its kernel too").And.Contain("not the parent poller").And.NotContain("while the server, its parent, is PID 1");
    }

    [Fact]
    public void AControlThatCouldNotRunProvesNothing()
    {
        Cause(Died(), Evidence(KeptAlive with { Failed = "spawn of student-x's server failed: 500" }))
            .Should().Contain("not proven: the control").And.NotContain("while the server, its parent, is PID 1");
    }

    private static (CellEvidence Evidence, KernelDiedException Died) Missing(string piece) => piece switch
    {
        "no process tree was read" => (Evidence(KeptAlive) with { Server = TierEvidence.None }, Died()),
        "the tree names no server" => (Evidence(KeptAlive, new ProcessTree([new ProcessRow(1, 0, 1000, "/usr/bin/python3 /opt/my-app.py")])), Died()),
        "the server is not PID 1" => (Evidence(KeptAlive, new ProcessTree([new ProcessRow(1, 0, 1000, "tini -- start.sh"), new ProcessRow(7, 1, 1000, Server)])), Died()),
        "the dead process is another kernel's" => (Evidence(KeptAlive, null, Dead(kernelId: "another-kernel")), Died()),
        "its parent was not PID 1" => (Evidence(KeptAlive, null, Dead(parentIsPid1: false)), Died()),
        "its parent is not the server" => (Evidence(KeptAlive, null, Dead(parent: "/bin/sh -c wrapper")), Died()),
        "it was killed by a signal" => (Evidence(KeptAlive, null, Dead(end: ProcessEnd.KilledBy(11))), Died()),
        "it had answered kernel_info" => (Evidence(KeptAlive), Died(atStart: false)),
        "it said why" => (Evidence(KeptAlive), Died(cause: "ModuleNotFoundError: No module named 'kr_x'")),
        _ => (Evidence(KeptAlive), Died(cause: "[IPKernelApp] WARNING | Parent appears to have exited, shutting down.")),
    };

    [Theory]
    [InlineData("no process tree was read")]
    [InlineData("the tree names no server")]
    [InlineData("the server is not PID 1")]
    [InlineData("the dead process is another kernel's")]
    [InlineData("its parent was not PID 1")]
    [InlineData("its parent is not the server")]
    [InlineData("it was killed by a signal")]
    [InlineData("it had answered kernel_info")]
    [InlineData("it said why")]
    [InlineData("the fixed kernel's own words")]
    public void TheMechanismIsNotClaimedWhenAPieceIsMissing(string piece)
    {
        var (evidence, died) = Missing(piece);

        ParentPoller.Seen(died, evidence).Should().BeNull(piece);
        Cause(died, evidence).Should().NotContain("PID 1", piece);
    }

    [Fact]
    public void AServerRunAsPythonDashMNotebookIsRecognised()
    {
        const string notebook = "python3 -m notebook --ip=127.0.0.1 --port=8888 --NotebookApp.token= --no-browser";
        var evidence = Evidence(KeptAlive, new ProcessTree([new ProcessRow(1, 0, 1000, notebook)]), Dead(parent: notebook));

        Cause(Died(), evidence).Should().StartWith(ParentPoller.Proven);
    }

    [Theory]
    [InlineData("/usr/bin/python3 /usr/bin/jupyterhub-singleuser --ip=0.0.0.0", true)]
    [InlineData("python3 -m notebook --no-browser", true)]
    [InlineData("/usr/bin/python3 /usr/bin/jupyter-notebook --ip=0.0.0.0", true)]
    [InlineData("/usr/bin/python3 /usr/local/bin/jupyter-lab --ip=0.0.0.0", true)]
    [InlineData("/usr/bin/python3 /usr/bin/jupyter-server", true)]
    [InlineData("python3 -m jupyter_server --ServerApp.port=8888", true)]
    [InlineData("python -m jupyterhub.singleuser", true)]
    [InlineData("/usr/bin/python3 -m ipykernel_launcher -f /run/kernel-1.json", false)]
    [InlineData("/usr/bin/python3 /usr/bin/notebook-helper", false)]
    public void ServerCommandsAreRecognisedAndKernelsAreNot(string command, bool server) =>
        ProcessRow.IsServerCommand(command).Should().Be(server);
}
