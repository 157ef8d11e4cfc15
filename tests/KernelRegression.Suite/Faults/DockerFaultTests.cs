using System.Text.Json.Nodes;
using KernelRegression.Faults;
using KernelRegression.Matrix;
using KernelRegression.Tiers.Docker;
using KernelRegression.Suite.Docker;

namespace KernelRegression.Suite.Faults;

/// <summary>Faults on the docker tier (hub trixie, image bookworm, default launch), each made to happen for real.</summary>
public sealed class DockerFaultTests(DockerTier tier) : IAsyncDisposable
{
    private readonly List<IAsyncDisposable> _owned = [];
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private async Task<(DockerHub Hub, JsonObject Options)> DeploymentAsync()
    {
        var run = tier.MatrixRun;
        // A hub of their own: killing its proxy must not break the matrix cells running beside them.
        var hub = await run.HubAsync(tier.Matrix.Hub("trixie") with { Name = "faults" }, Ct);
        var image = await run.Images.SingleUserAsync(tier.Matrix.Image("bookworm"), Ct);
        return (hub, hub.UserOptions(image, LaunchProfile.Resolve("default")));
    }

    private async Task<(DockerHub Hub, Student Student)> StudentAsync()
    {
        var (hub, options) = await DeploymentAsync();
        var student = await Student.SpawnAsync(hub, Ct, userOptions: options);
        _owned.Add(student);
        return (hub, student);
    }

    private async Task<KernelConnection> KernelAsync(Student student)
    {
        var kernel = await student.StartKernelAsync(Ct);
        return kernel;
    }

    [Fact]
    public async Task AKilledKernelInAContainerIsSeenRestartingAndRunsCodeAgain()
    {
        var (hub, student) = await StudentAsync();
        var kernel = await KernelAsync(student);

        var e = await FaultChecks.KillKernelAsync(student, kernel, hub, Ct);
        TestContext.Current.AddAttachment("fault", e.ToString());

        // A local engine's container processes are host processes: the harness watches the kernel's pid.
        e.Detected.Should().BeLessThan(TimeSpan.FromSeconds(2));
        e.DetectedBy.Should().MatchRegex("kernel process [0-9]+ exited");
        e.After.Should().Be("'back'");
    }

    [Fact]
    public async Task AFrozenKernelInAContainerIsDetectedAndThaws()
    {
        var (hub, student) = await StudentAsync();
        var kernel = await KernelAsync(student);

        var e = await FaultChecks.FreezeKernelAsync(student, kernel, hub, TimeSpan.FromSeconds(2), Ct);

        e.DetectedBy.Should().StartWith("no kernel_info_reply");
        e.After.Should().Be("'thawed'");
    }

    [Fact]
    public async Task AKilledServerContainerIsRespawnedAndTheHomeVolumeSurvives()
    {
        var (hub, student) = await StudentAsync();

        var e = await FaultChecks.KillServerAsync(student, hub, Ct);

        e.After.Should().Be("'respawned'; homework.ipynb survived: True");
    }

    [Fact]
    public async Task AKilledProxyIsRestartedByTheHubAndRoutesComeBack()
    {
        var (hub, student) = await StudentAsync();

        var e = await FaultChecks.RestartProxyAsync(student, hub, Ct);

        e.After.Should().Be("'routed'");
    }

    [Fact]
    public async Task APausedServerIsUnresponsiveAndRecoversWhenUnpaused()
    {
        var (hub, student) = await StudentAsync();
        var kernel = await KernelAsync(student);

        await hub.PauseServerAsync(student.Name, "", true, Ct);
        var answeredWhilePaused = await kernel.RespondsWithinAsync(TimeSpan.FromSeconds(2), Ct);
        await hub.PauseServerAsync(student.Name, "", false, Ct);
        await kernel.KernelInfoAsync(Deadline.Of(15), Ct);

        answeredWhilePaused.Should().BeFalse();
        (await KernelChecks.ExecutesAsync(student, kernel, "'unpaused'", Ct)).Result.Should().Be("'unpaused'");
    }

    [Fact]
    public async Task ANetworkCutBetweenHubAndServerIsSeenAndAfterItHealsTheKernelIsTheSame()
    {
        var (hub, student) = await StudentAsync();
        var kernel = await KernelAsync(student);

        var e = await FaultChecks.CutNetworkAsync(student, kernel, hub, TimeSpan.FromSeconds(2), Ct);

        TestContext.Current.AddAttachment("fault", e.ToString());
        e.DetectedBy.Should().StartWith("no kernel_info_reply within 2 s and no server status");
        e.After.Should().StartWith("'kept'", "the kernel that answers after the cut must be the one from before it");
    }

    [Fact]
    public async Task ARunningKernelInAContainerSurvivesAHubContainerRestart()
    {
        var (hub, student) = await StudentAsync();
        var kernel = await KernelAsync(student);

        var e = await FaultChecks.RestartHubAsync(student, kernel, hub, hub, Ct);

        TestContext.Current.AddAttachment("fault", e.ToString());
        e.After.Should().Be("'still here'");
        e.DetectedBy.Should().EndWith("server ready: True");
    }

    [Fact]
    public async Task ACrowdOfStudentsAllGetWorkingKernelsInContainers()
    {
        var (hub, options) = await DeploymentAsync();

        var crowd = await Crowd.ArriveAsync(hub, Crowd.DefaultSize, options, Ct);

        TestContext.Current.AddAttachment("crowd", string.Join('\n', crowd));
        crowd.Should().HaveCount(Crowd.DefaultSize).And.OnlyContain(m => m.Error == null);
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var o in _owned)
        {
            await o.DisposeAsync();
        }
    }
}
