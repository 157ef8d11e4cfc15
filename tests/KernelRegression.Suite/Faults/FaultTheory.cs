using System.Text.Json.Nodes;
using KernelRegression.Faults;

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

        // When the fault happens for real, and what the harness and the deployment did is measured
        var judgement = fault == "crowd" ? await CrowdAsync(hub, options) : await FaultAsync(fault, hub, options);

        // Then the judge, reading the fault's expectation (Faults/FaultExpectation), says it was seen in time and recovered from
        judgement.Outcome.Should().Be(Outcome.Passed, judgement.Why);
    }

    private static async Task<Judgement> CrowdAsync(IHubDeployment hub, JsonObject? options)
    {
        var crowd = await Crowd.ArriveAsync(hub, Crowd.DefaultSize, options, Ct);
        TestContext.Current.AddAttachment("crowd", string.Join('\n', crowd));
        return Judge.Crowd(Crowd.DefaultSize, crowd);
    }

    private async Task<Judgement> FaultAsync(string fault, IHubDeployment hub, JsonObject? options)
    {
        var student = await Student.SpawnAsync(hub, Ct, userOptions: options);
        _owned.Add(student);
        var probe = FaultExpectation.Probe;
        FaultEvidence? seen = null;
        Exception? error = null;
        try
        {
            seen = fault switch
            {
                "kill-kernel" => await FaultChecks.KillKernelAsync(student, await student.StartKernelAsync(Ct), hub.Get<IKernelSignals>()!, Ct),
                "freeze-kernel" => await FaultChecks.FreezeKernelAsync(student, await student.StartKernelAsync(Ct), hub.Get<IKernelSignals>()!, probe, Ct),
                "kill-server" => await FaultChecks.KillServerAsync(student, hub.Get<IServerKill>()!, Ct),
                "restart-proxy" => await FaultChecks.RestartProxyAsync(student, hub.Get<IProxyRestart>()!, Ct),
                "restart-hub" => await FaultChecks.RestartHubAsync(student, await student.StartKernelAsync(Ct), hub.Get<IHubRestart>()!, hub, Ct),
                "pause-server" => await FaultChecks.PauseServerAsync(student, await student.StartKernelAsync(Ct), hub.Get<IServerPause>()!, probe, Ct),
                "network-partition" => await FaultChecks.CutNetworkAsync(student, await student.StartKernelAsync(Ct), hub.Get<INetworkPartition>()!, probe, Ct),
                _ => throw new ArgumentException($"no fault {fault}"),
            };
        }
        catch (Exception e) when (e is not OperationCanceledException || !Ct.IsCancellationRequested)
        {
            error = e;
        }
        TestContext.Current.AddAttachment("fault", seen?.ToString() ?? error!.ToString());
        return Judge.Fault(FaultExpectation.Of(fault), seen, error);
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
