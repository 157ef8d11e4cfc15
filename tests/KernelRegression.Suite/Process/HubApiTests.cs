namespace KernelRegression.Suite.Process;

/// <summary>The hub side of a student's day: version, spawn progress, named servers, tokens.</summary>
public sealed class HubApiTests(ProcessFixture tier) : StudentTest(tier.Hub)
{
    [Fact]
    public async Task HubReportsTheInstalledVersion()
    {
        var version = await Deployment.Hub.GetVersionAsync(Ct);

        version.Should().MatchRegex(@"^\d+\.\d+\.\d+");
        Deployment.HubVersion.Should().Be(version);
    }

    [Fact]
    public async Task SpawnStreamsProgressUntilReady()
    {
        var name = Student.NewName();
        await Deployment.Hub.CreateUserAsync(name, Ct);
        try
        {
            // The process tier's hub answers every spawn 202 at once (slow_spawn_timeout 0): the stream is the only way to ready.
            var readyAtOnce = await Deployment.Hub.StartServerAsync(name, "", null, Ct);
            readyAtOnce.Should().BeFalse("the test hub hands every spawn to the progress stream");
            var events = await Deployment.Hub.WaitForServerReadyAsync(name, "", Deadline.Of(60), () => Deployment.HubLog.Tail(), Ct);

            var user = await Deployment.Hub.GetUserAsync(name, Ct);
            user!["servers"]![""]!["ready"]!.GetValue<bool>().Should().BeTrue();
            events.Should().HaveCountGreaterThanOrEqualTo(2, "at least a progress event and the ready event");
            events.Should().Contain(e => e.Progress != null && !e.Ready);
            events[^1].Ready.Should().BeTrue();
            events[^1].Url.Should().Be($"/user/{name}/");
            events.Select(e => e.At).Should().BeInAscendingOrder();
        }
        finally
        {
            await Deployment.Hub.StopServerAsync(name, "", Ct);
            await Deployment.Hub.DeleteUserAsync(name, Ct);
        }
    }

    [Fact]
    public async Task NamedServerRunsKernelsAndStops()
    {
        var student = await SpawnStudentAsync(serverName: "lab2");
        var (kernel, _) = await KernelChecks.StartsAsync(student, Ct);
        Track(kernel);

        (await KernelChecks.ExecutesAsync(student, kernel, "'named'", Ct)).Result.Should().Be("'named'");
        student.Server.ServerUrl.AbsolutePath.Should().EndWith($"/user/{student.Name}/lab2/");
        await Deployment.Hub.StopServerAsync(student.Name, "lab2", Ct);
    }

    [Fact]
    public async Task AUsersTokenCannotReachAnotherUsersServer()
    {
        var alice = await SpawnStudentAsync();
        await using var bob = await Student.SpawnAsync(Deployment, Ct);
        using var intruder = new ServerClient(alice.Server.ServerUrl, bob.Server.Token, $"{alice.Name} (with {bob.Name}'s token)");

        var act = () => intruder.ListKernelsAsync(Ct);

        (await act.Should().ThrowAsync<HubAuthException>()).Which.Message.Should().Contain(alice.Name);
    }
}
