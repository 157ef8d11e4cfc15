using KernelRegression.Faults;

namespace KernelRegression.Tests.Faults;

/// <summary>
/// A detection counts from when the fault's action returned: an action that takes long to take effect
/// (a container started to cut a network, on a loaded machine) is the engine's time, said beside the
/// detection, not counted in it; a fault seen before its action returned is seen at once.
/// </summary>
public sealed class OutageWatchTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task ASlowActionIsSaidBesideTheDetectionNotCountedInIt()
    {
        // Given a deployment that answers until the fault takes effect at the end of an action of 1.5 s
        var cut = false;
        var outage = await OutageWatch.WatchAsync("no answer", _ => Task.FromResult(!Volatile.Read(ref cut)),
            async () => { await Task.Delay(TimeSpan.FromSeconds(1.5), Ct); Volatile.Write(ref cut, true); }, TimeSpan.FromSeconds(5), Ct);

        // Then it is seen within a probe's interval of taking effect, and the action's time is said
        outage.Detected.Should().NotBeNull().And.BeLessThan(TimeSpan.FromSeconds(1), outage.Seen);
        outage.Seen.Should().MatchRegex(@"^no answer: seen [0-9.]+ s after the fault took effect \(1\.[5-9] s after it began, its action took 1\.[5-9] s; probe [0-9]+\)$");
    }

    [Fact]
    public async Task AFaultSeenBeforeItsActionReturnedIsSeenAtOnce()
    {
        // Given a fault in effect at once, whose action returns only 1 s later
        var cut = false;
        var outage = await OutageWatch.WatchAsync("no answer", _ => Task.FromResult(!Volatile.Read(ref cut)),
            async () => { Volatile.Write(ref cut, true); await Task.Delay(TimeSpan.FromSeconds(1), Ct); }, TimeSpan.FromSeconds(5), Ct);

        outage.Detected.Should().Be(TimeSpan.Zero, outage.Seen);
    }

    [Fact]
    public async Task AFaultThatNeverTakesEffectIsNotSeen()
    {
        var outage = await OutageWatch.WatchAsync("no answer", _ => Task.FromResult(true), () => Task.CompletedTask, TimeSpan.FromSeconds(0.5), Ct);

        outage.Detected.Should().BeNull();
        outage.Seen.Should().StartWith("answered throughout");
    }
}
