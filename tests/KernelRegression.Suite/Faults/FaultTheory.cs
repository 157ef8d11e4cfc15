using System.Text.Json.Nodes;
using KernelRegression.Faults;
using KernelRegression.Tiers;

namespace KernelRegression.Suite.Faults;

/// <summary>
/// The faults, each made to happen for real and answered by the harness and the deployment, written
/// once for every tier: a tier's class only says how to get its deployment; its rows are the faults its
/// capability table offers (what it lacks is in that table, with the reason, and in every report).
/// </summary>
public abstract class FaultTheory : IAsyncDisposable
{
    private readonly List<IAsyncDisposable> _owned = [];

    protected static CancellationToken Ct => TestContext.Current.CancellationToken;

    /// <summary>Every fault and the capability it needs (null: any tier).</summary>
    public static IReadOnlyList<(string Fault, Type? Needs)> All { get; } =
    [
        ("kill-kernel", typeof(IKernelSignals)), ("freeze-kernel", typeof(IKernelSignals)), ("kill-server", typeof(IServerKill)),
        ("restart-proxy", typeof(IProxyRestart)), ("restart-hub", typeof(IHubRestart)), ("pause-server", typeof(IServerPause)),
        ("network-partition", typeof(INetworkPartition)), ("crowd", null),
    ];

    /// <summary>The rows of a tier: the faults its deployment type offers.</summary>
    protected static IEnumerable<TheoryDataRow<string>> RowsFor(Type deployment) =>
        All.Where(f => f.Needs is null || f.Needs.IsAssignableFrom(deployment)).Select(f => new TheoryDataRow<string>(f.Fault) { Label = f.Fault });

    /// <summary>The deployment the faults break, and what a spawn on it asks for.</summary>
    protected abstract Task<(IHubDeployment Hub, JsonObject? Options)> DeploymentAsync();

    [Theory]
    [MemberData("Faults")]
    public async Task TheFaultHappensIsSeenAndTheDeploymentRecovers(string fault)
    {
        var (hub, options) = await DeploymentAsync();
        if (fault == "crowd")
        {
            var crowd = await Crowd.ArriveAsync(hub, Crowd.DefaultSize, options, Ct);
            TestContext.Current.AddAttachment("crowd", string.Join('\n', crowd));
            crowd.Should().HaveCount(Crowd.DefaultSize).And.OnlyContain(m => m.Error == null);
            return;
        }
        var student = await Student.SpawnAsync(hub, Ct, userOptions: options);
        _owned.Add(student);
        var e = fault switch
        {
            "kill-kernel" => await FaultChecks.KillKernelAsync(student, await student.StartKernelAsync(Ct), hub.Get<IKernelSignals>()!, Ct),
            "freeze-kernel" => await FaultChecks.FreezeKernelAsync(student, await student.StartKernelAsync(Ct), hub.Get<IKernelSignals>()!, TimeSpan.FromSeconds(2), Ct),
            "kill-server" => await FaultChecks.KillServerAsync(student, hub.Get<IServerKill>()!, Ct),
            "restart-proxy" => await FaultChecks.RestartProxyAsync(student, hub.Get<IProxyRestart>()!, Ct),
            "restart-hub" => await FaultChecks.RestartHubAsync(student, await student.StartKernelAsync(Ct), hub.Get<IHubRestart>()!, hub, Ct),
            "pause-server" => await FaultChecks.PauseServerAsync(student, await student.StartKernelAsync(Ct), hub.Get<IServerPause>()!, TimeSpan.FromSeconds(2), Ct),
            "network-partition" => await FaultChecks.CutNetworkAsync(student, await student.StartKernelAsync(Ct), hub.Get<INetworkPartition>()!, TimeSpan.FromSeconds(2), Ct),
            _ => throw new ArgumentException($"no fault {fault}"),
        };
        TestContext.Current.AddAttachment("fault", e.ToString());

        switch (fault)
        {
            case "kill-kernel":
                // Both local tiers watch the kernel's process (pidfd): no waiting for the restarter's 3 s poll.
                e.Detected.Should().BeLessThan(TimeSpan.FromSeconds(2));
                e.DetectedBy.Should().MatchRegex("kernel process [0-9]+ .*exited");
                e.After.Should().Be("'back'");
                break;
            case "freeze-kernel":
                e.DetectedBy.Should().StartWith("no kernel_info_reply");
                e.Detected.Should().BeLessThan(TimeSpan.FromSeconds(5));
                e.After.Should().Be("'thawed'");
                break;
            case "kill-server":
                e.After.Should().Be("'respawned'; homework.ipynb survived: True");
                break;
            case "restart-proxy":
                e.DetectedBy.Should().StartWith("outage seen", "a request through the proxy must fail while it is down");
                e.Recovered.Should().BeLessThan(TimeSpan.FromSeconds(60));
                e.After.Should().Be("'routed'");
                break;
            case "restart-hub":
                e.DetectedBy.Should().StartWith("outage seen").And.EndWith("server ready: True");
                e.After.Should().Be("'still here'");
                break;
            case "pause-server":
                e.DetectedBy.Should().Be("no kernel_info_reply within 2 s");
                e.After.Should().Be("'unpaused'");
                break;
            case "network-partition":
                e.DetectedBy.Should().StartWith("no kernel_info_reply within 2 s and no server status");
                e.After.Should().StartWith("'kept'", "the kernel that answers after the cut must be the one from before it");
                break;
        }
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var o in _owned)
        {
            await o.DisposeAsync();
        }
        GC.SuppressFinalize(this);
    }
}
