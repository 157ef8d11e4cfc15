using System.Diagnostics;

namespace KernelRegression.Tests.Checks;

/// <summary>A check that hangs becomes a harness error naming it, in bounded time, whether or not it honours its cancellation.</summary>
public sealed class CheckGuardTests
{
    private static readonly TimeSpan Limit = TimeSpan.FromMilliseconds(300);
    private static readonly TimeSpan Grace = TimeSpan.FromMilliseconds(300);

    private static Task<string> Guard(Func<CancellationToken, Task<string>> body) =>
        CheckGuard.RunAsync("browser", body, () => "browser-spawn", Limit, Grace, TestContext.Current.CancellationToken);

    [Fact]
    public async Task ACheckThatIgnoresItsCancellationIsLeftBehindAfterTheGrace()
    {
        var never = new TaskCompletionSource<string>();
        var sw = Stopwatch.StartNew();

        var run = () => Guard(_ => never.Task);

        (await run.Should().ThrowAsync<HarnessFaultException>()).Which.What.Should()
            .Contain("the browser check did not finish within 0.3 s and did not stop when cancelled")
            .And.Contain("the last step it finished: browser-spawn")
            .And.Contain("not a verdict on the deployment");
        sw.Elapsed.Should().BeGreaterThanOrEqualTo(Limit + Grace - TimeSpan.FromMilliseconds(50)).And.BeLessThan(TimeSpan.FromSeconds(10));
    }

    [Fact]
    public async Task ACheckThatStopsWhenCancelledIsAHarnessErrorAtTheLimit()
    {
        var run = () => Guard(async t => { await Task.Delay(Timeout.Infinite, t); return ""; });

        (await run.Should().ThrowAsync<HarnessFaultException>()).Which.What.Should().Contain("and was cancelled");
    }

    [Fact]
    public async Task AFinishedCheckAndAFailedCheckPassThrough()
    {
        (await Guard(_ => Task.FromResult("42"))).Should().Be("42");

        var failing = () => Guard(_ => throw new CheckFailedException("no 42"));
        await failing.Should().ThrowAsync<CheckFailedException>().WithMessage("no 42");
    }

    [Fact]
    public async Task TheRunsOwnCancellationIsNotCalledAHang()
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromMilliseconds(100));

        var run = () => CheckGuard.RunAsync("executes", async t => { await Task.Delay(Timeout.Infinite, t); return ""; }, () => null, TimeSpan.FromSeconds(30), Grace, cts.Token);

        await run.Should().ThrowAsync<OperationCanceledException>();
    }
}
