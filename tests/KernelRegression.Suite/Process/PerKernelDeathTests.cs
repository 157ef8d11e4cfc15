namespace KernelRegression.Suite.Process;

/// <summary>
/// A death belongs to the kernel that died: two kernels on one server, one SIGKILLed, and only that one's
/// connection hears of it. The server's restarter line names no kernel; the relaunch that follows names the
/// connection file, and the process watch knows which pid died. A watch that took any restarter line as
/// every connection's death would fail the survivor here.
/// </summary>
[Collection(nameof(Faults.ProcessFaults))]
public sealed class PerKernelDeathTests(ProcessFixture tier) : StudentTest(tier.Hub)
{
    [Fact]
    public async Task KillingOneOfTwoKernelsOnAServerLeavesTheOtherOnesChecksPassing()
    {
        // Given two kernels of one student on one server
        var student = await SpawnStudentAsync();
        var victim = Track(await student.StartKernelAsync(Ct));
        var survivor = Track(await student.StartKernelAsync(Ct));
        var log = Deployment.ServerLog(student.Name);
        var from = log.Count;

        // When one is killed and the server has relaunched it (its debug log names the connection file)
        await Deployment.Get<IKernelSignals>()!.SignalKernelAsync(student.Name, "", victim.KernelId, Signals.Kill, Ct);
        await victim.Died.WaitAsync(Deadline.Of(10), Ct);
        await log.WaitForLineAsync(l => l.Contains("KernelRestarter", StringComparison.Ordinal), from, Ct).WaitAsync(Deadline.Of(15), Ct);
        await log.WaitForLineAsync(l => l.Contains($"kernel-{victim.KernelId}.json", StringComparison.Ordinal) && l.Contains("Starting kernel", StringComparison.Ordinal), from, Ct)
            .WaitAsync(Deadline.Of(15), Ct);

        // Then the survivor heard nothing and still passes the checks; the victim's death named its own process
        survivor.Died.IsCompleted.Should().BeFalse($"the survivor must not be marked dead: {string.Join("; ", survivor.LifecycleEvents)}");
        survivor.LifecycleEvents.Should().BeEmpty();
        (await KernelChecks.ExecutesAsync(student, survivor, "6*7", Ct)).Result.Should().Be("42");
        var alive = await KernelChecks.StaysAliveAsync(student, survivor, TimeSpan.FromSeconds(3), Ct);
        alive.Events.Should().BeEmpty();
        alive.Answer.Should().Be("'alive'");
        (await victim.Died).Source.Should().MatchRegex("kernel process [0-9]+ .*exited");
    }
}
