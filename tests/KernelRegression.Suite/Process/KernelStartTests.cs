using KernelRegression.Tiers;

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
