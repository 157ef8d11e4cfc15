using KernelRegression.Faults;

namespace KernelRegression.Suite.Faults;

/// <summary>Faults on the process tier, each made to happen for real and each answered by the harness and the deployment.</summary>
[Collection(nameof(ProcessFaults))]
public sealed class ProcessFaultTests(ProcessTier tier) : StudentTest(tier.Hub)
{
    [Fact]
    public async Task AKilledKernelIsSeenRestartingAndRunsCodeAgain()
    {
        var (student, kernel) = await StudentWithKernelAsync();

        var e = await FaultChecks.KillKernelAsync(student, kernel, tier.Hub, Ct);
        TestContext.Current.AddAttachment("fault", e.ToString());

        // The harness watches the kernel's process (pidfd): it does not wait for the restarter's 3 s poll.
        e.Detected.Should().BeLessThan(TimeSpan.FromSeconds(2));
        e.DetectedBy.Should().MatchRegex("kernel process [0-9]+ exited");
        e.After.Should().Be("'back'");
    }

    [Fact]
    public async Task AFrozenKernelIsDetectedAsUnresponsiveAndRecoversAfterContinue()
    {
        var (student, kernel) = await StudentWithKernelAsync();

        var e = await FaultChecks.FreezeKernelAsync(student, kernel, tier.Hub, TimeSpan.FromSeconds(2), Ct);

        e.DetectedBy.Should().StartWith("no kernel_info_reply");
        e.Detected.Should().BeLessThan(TimeSpan.FromSeconds(3));
        e.After.Should().Be("'thawed'");
    }

    [Fact]
    public async Task AKilledServerIsRespawnedAndTheUsersFilesSurvive()
    {
        var student = await SpawnStudentAsync();

        var e = await FaultChecks.KillServerAsync(student, tier.Hub, Ct);

        e.After.Should().Be("'respawned'; homework.ipynb survived: True");
    }

    [Fact]
    public async Task AfterAProxyRestartRoutesComeBackAndKernelsAreReachable()
    {
        var student = await SpawnStudentAsync();

        var e = await FaultChecks.RestartProxyAsync(student, tier.Hub, Ct);

        e.After.Should().Be("'routed'");
        e.Recovered.Should().BeLessThan(TimeSpan.FromSeconds(30), "the hub re-checks routes every 5 s on this deployment");
    }

    [Fact]
    public async Task ARunningKernelSurvivesAHubRestart()
    {
        var (student, kernel) = await StudentWithKernelAsync();

        var e = await FaultChecks.RestartHubAsync(student, kernel, tier.Hub, Deployment, Ct);

        e.After.Should().Be("'still here'");
        e.DetectedBy.Should().EndWith("server ready: True");
    }

    /// <summary>The faults this tier cannot do: each must refuse (not silently pass) and is reported as a skip with the reason.</summary>
    [Theory]
    [InlineData("pause-container")]
    [InlineData("network-partition")]
    public async Task AFaultThisTierCannotDoIsRefusedAndSkippedWithTheReason(string fault)
    {
        IFaultInjector injector = tier.Hub;
        Func<Task> attempt = fault == "pause-container"
            ? () => injector.PauseServerAsync("nobody", "", true, Ct)
            : () => injector.PartitionServerAsync("nobody", "", true, Ct);

        var refused = await Assert.ThrowsAsync<FaultNotSupportedException>(attempt);

        Assert.Skip($"{fault}: {refused.Message}");
    }
}

/// <summary>Proxy and hub restarts touch every test's routes: these faults take turns with nothing else running on the shared hub.</summary>
[CollectionDefinition(nameof(ProcessFaults), DisableParallelization = true)]
public sealed class ProcessFaults;
