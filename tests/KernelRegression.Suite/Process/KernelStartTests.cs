namespace KernelRegression.Suite.Process;

/// <summary>The kernel starts, is listed, stays alive: the check the incident's deploy never made.</summary>
public sealed class KernelStartTests(ProcessFixture tier) : StudentTest(tier.Hub)
{
    [Fact]
    public async Task KernelAnswersKernelInfoAndGoesIdle()
    {
        var student = await SpawnStudentAsync();

        var (kernel, evidence) = await KernelChecks.StartsAsync(student, Ct);
        Track(kernel);

        evidence.Implementation.Should().Be("ipython");
        evidence.LanguageVersion.Should().StartWith("3.");
        evidence.ExecutionState.Should().Be("idle");
        kernel.Timeline.Entries.Should().Contain(e => e.MsgType == "kernel_info_reply");
        student.Timings["spawn"].Should().NotBeNull();
        student.Timings["kernel-ready"].Should().BeLessThan(Deadline.Of(30));
    }

    /// <summary>
    /// The port race at start, made to happen: the kernel's first process finds its shell port taken and
    /// dies (ZMQError); the server's restarter relaunches it on new ports, and the student, like
    /// JupyterLab, follows with a new connection and gets a working kernel, the relaunch named.
    /// </summary>
    [Fact]
    public async Task AKernelThatLostThePortRaceAtStartIsFollowedThroughItsRelaunch()
    {
        var student = await SpawnStudentAsync();
        await PortTakenKernel.LeaveAsync(Deployment, student, Ct);

        var (kernel, evidence) = await KernelChecks.StartsAsync(student, Ct, PortTakenKernel.Once);
        Track(kernel);

        kernel.RelaunchedAtStart.Should().Contain("ZMQError: Address already in use").And.Contain("jupyter/jupyter_client#154");
        evidence.ExecutionState.Should().Be("idle");
        (await KernelChecks.ExecutesAsync(student, kernel, "1+1", Ct)).Result.Should().Be("2");
        student.KernelProcesses.Should().SatisfyRespectively(lost => lost.Lived.Should().NotBeNull(), relaunch => relaunch.Lived.Should().BeNull());
        Latency.MeasuredSteps.Of(student.Timings.Steps).Should().ContainSingle(m => m.Step == BudgetStep.KernelStart)
            .Which.Mode.Should().Be(Latency.StepMeasure.Relaunched);
    }

    /// <summary>The relaunch is followed once: a kernel that loses the race on every launch is a death at start, with its cause.</summary>
    [Fact]
    public async Task AKernelThatLosesThePortRaceOnEveryLaunchDiesAtStartWithThatCause()
    {
        var student = await SpawnStudentAsync();
        await PortTakenKernel.LeaveAsync(Deployment, student, Ct);

        var start = () => student.StartKernelAsync(Ct, PortTakenKernel.Always);

        (await start.Should().ThrowAsync<KernelDiedException>()).Which.Cause.Should().Contain("ZMQError: Address already in use");
        student.KernelProcesses.Should().HaveCountGreaterThanOrEqualTo(2, "the relaunch was followed before the death stood");
    }

    [Fact]
    public async Task ServerOffersThePython3KernelSpec()
    {
        var student = await SpawnStudentAsync();

        var (defaultName, names) = await student.Server.GetKernelSpecsAsync(Ct);

        defaultName.Should().Be("python3");
        names.Should().Contain("python3");
    }

    [Fact]
    public async Task KernelIsListedFetchedAndDeleted()
    {
        var (student, kernel) = await StudentWithKernelAsync();

        (await student.Server.ListKernelsAsync(Ct)).Select(k => k.Id).Should().Contain(kernel.KernelId);
        var model = await student.Server.GetKernelAsync(kernel.KernelId, Ct);
        model!.Name.Should().Be("python3");
        model.Connections.Should().BeGreaterThanOrEqualTo(1);

        await student.Server.DeleteKernelAsync(kernel.KernelId, Ct);

        (await student.Server.GetKernelAsync(kernel.KernelId, Ct)).Should().BeNull();
    }

    [Fact]
    public async Task KernelStaysAliveThroughTheWindow()
    {
        var (student, kernel) = await StudentWithKernelAsync();
        var window = Settings.AliveWindow;

        var evidence = await KernelChecks.StaysAliveAsync(student, kernel, window, Ct);

        evidence.Events.Should().BeEmpty("no restarting/dead status may arrive in the window");
        evidence.StillListed.Should().BeTrue();
        evidence.Answer.Should().Be("'alive'");
    }

    [Fact]
    public async Task SessionOpensOnANotebookAndCloses()
    {
        var student = await SpawnStudentAsync();
        await student.Server.PutNotebookAsync("empty.ipynb", System.Text.Json.Nodes.JsonNode.Parse(
            """{"cells":[],"metadata":{},"nbformat":4,"nbformat_minor":5}""")!, Ct);

        var (sessionId, kernel) = await student.Server.CreateSessionAsync("empty.ipynb", "python3", Ct);

        (await student.Server.ListSessionsAsync(Ct)).Should().ContainSingle(s => s.SessionId == sessionId && s.KernelId == kernel.Id);
        await student.Server.DeleteSessionAsync(sessionId, Ct);
        (await student.Server.ListSessionsAsync(Ct)).Should().BeEmpty();
        (await student.Server.GetKernelAsync(kernel.Id, Ct)).Should().BeNull("closing the session shuts its kernel down");
    }
}
