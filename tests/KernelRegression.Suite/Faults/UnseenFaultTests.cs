using KernelRegression.Faults;

namespace KernelRegression.Suite.Faults;

/// <summary>
/// A fault row passes only on a detection the harness measured: when the fault does not happen for real
/// (the tier's action does nothing to the deployment), the harness probes a healthy kernel or proxy the
/// whole time, sees nothing, and the judge fails the row saying so.
/// </summary>
[Collection(nameof(ProcessFaults))]
public sealed class UnseenFaultTests(ProcessFixture process) : StudentTest(process.Hub)
{
    /// <summary>The process tier's signals, with one sent as another: a "freeze" that sends SIGCONT leaves the kernel running.</summary>
    private sealed class SentInstead(IKernelSignals tier, int signal, int instead) : IKernelSignals
    {
        public Task SignalKernelAsync(string user, string serverName, string kernelId, int s, CancellationToken ct) =>
            tier.SignalKernelAsync(user, serverName, kernelId, s == signal ? instead : s, ct);
    }

    /// <summary>A proxy "restart" that leaves the proxy alone.</summary>
    private sealed class ProxyLeftAlone : IProxyRestart
    {
        public Task RestartProxyAsync(CancellationToken ct) => Task.CompletedTask;
    }

    [Fact]
    public async Task AFreezeThatDoesNotFreezeTheKernelIsNotSeenAndFailsItsRow()
    {
        var (student, kernel) = await StudentWithKernelAsync();

        var seen = await FaultChecks.FreezeKernelAsync(student, kernel, new SentInstead(process.Hub, Host.Signals.Stop, Host.Signals.Cont), FaultExpectation.Probe, Ct);
        var judgement = Judge.Fault(FaultExpectation.Of("freeze-kernel"), seen);

        judgement.Outcome.Should().Be(Outcome.Failed);
        judgement.Why.Should().StartWith("freeze-kernel not seen: answered throughout");
    }

    [Fact]
    public async Task AProxyRestartThatDoesNotHappenIsNotSeenAndFailsItsRow()
    {
        var student = await SpawnStudentAsync();

        // (the old code put the fault's own duration in Detected when no probe failed)
        var seen = await FaultChecks.RestartProxyAsync(student, new ProxyLeftAlone(), Ct);
        var judgement = Judge.Fault(FaultExpectation.Of("restart-proxy"), seen);

        judgement.Outcome.Should().Be(Outcome.Failed);
        judgement.Why.Should().StartWith("restart-proxy not seen: answered throughout");
    }
}
