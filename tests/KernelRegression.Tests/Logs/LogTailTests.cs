namespace KernelRegression.Tests.Logs;

public sealed class LogTailTests
{
    [Fact]
    public async Task AWaiterCompletesWhenItsLineArrives()
    {
        using var log = new LogTail("t");
        log.Append("starting");
        var wait = log.WaitForLineAsync(l => l.Contains("running", StringComparison.Ordinal), 0, TestContext.Current.CancellationToken);
        wait.IsCompleted.Should().BeFalse();

        log.Append("JupyterHub is now running at http://127.0.0.1:1/");

        (await wait.WaitAsync(TimeSpan.FromSeconds(1), TestContext.Current.CancellationToken)).Should().Contain("now running");
    }

    [Fact]
    public async Task AWaiterSeesLinesThatArrivedBeforeItButNotBeforeItsStart()
    {
        using var log = new LogTail("t");
        log.Append("old: ready");
        var from = log.Count;
        log.Append("new: ready");

        (await log.WaitForLineAsync(l => l.EndsWith("ready", StringComparison.Ordinal), from, TestContext.Current.CancellationToken)).Should().Be("new: ready");
    }

    [Fact]
    public async Task ACancelledWaitEndsAndIsNoLongerMatchedAgainstNewLines()
    {
        using var log = new LogTail("t");
        using var giveUp = new CancellationTokenSource();
        var matched = 0;
        var wait = log.WaitForLineAsync(l => Interlocked.Increment(ref matched) > 0 && l == "never", 0, giveUp.Token);
        log.Append("one");

        await giveUp.CancelAsync();
        log.Append("two");
        log.Append("three");

        await wait.Invoking(w => w).Should().ThrowAsync<OperationCanceledException>();
        matched.Should().Be(1, "only the line before the cancel was tried");
    }

    [Fact]
    public async Task AFollowedFileFeedsTheTailAsItIsWritten()
    {
        using var dir = new TempDir("kr-follow-");
        var path = Path.Combine(dir.FullName, "server.log");
        using var follower = new LogFileFollower(path, new LogTail("server"));
        var seen = follower.Tail.WaitForLineAsync(l => l == "second", 0, TestContext.Current.CancellationToken);

        await File.AppendAllTextAsync(path, "first\nsec", TestContext.Current.CancellationToken);
        await File.AppendAllTextAsync(path, "ond\n", TestContext.Current.CancellationToken);

        (await seen.WaitAsync(TimeSpan.FromSeconds(5), TestContext.Current.CancellationToken)).Should().Be("second");
        follower.Tail.LinesSince(0).Should().Equal("first", "second");
    }
}
