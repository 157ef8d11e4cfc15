using System.IO.Pipes;
using System.Text;

namespace KernelRegression.Tests.Host;

/// <summary>
/// The watch fed by the kernel watch script's lines (the kind tier's, through a pod exec), on canned
/// output: the records and events it makes, what it ignores, and that nothing but an "exited" line is
/// a death.
/// </summary>
public sealed class ScriptedKernelWatchTests
{
    private const string Kernel = "0d9c5b1e-7a3f-4e21-9c44-2f1b8d6e5a10";
    private const string Server = "/usr/bin/python3 /usr/bin/jupyterhub-singleuser --ip=0.0.0.0 --port=8888";

    private static (ScriptedKernelWatch Watch, List<string> Events, List<string> Log) Watch()
    {
        var log = new List<string>();
        var watch = new ScriptedKernelWatch(Kernel, log.Add);
        var events = new List<string>();
        watch.Found += s => events.Add($"found {s.Pid}");
        watch.Exited += s => events.Add($"exited {s.Pid}");
        return (watch, events, log);
    }

    [Fact]
    public void AKernelThatDiesAtOnceAndIsRelaunchedFiveTimesIsSixProcessesEachSeenToExitUnderAPid1Parent()
    {
        // Given the script's output for the incident: the restarter relaunches the dying kernel five times
        var (watch, events, _) = Watch();
        string[] lines = ["watching " + Kernel, .. Enumerable.Range(0, 6).SelectMany(i => new[] { $"found {40 + i} 1 1 {Server} ", $"exited {40 + i}" })];

        // When the watch reads it
        foreach (var line in lines)
        {
            watch.Accept(line);
        }

        // Then each process is found, then exits, in order; each under PID 1, with the server's command line
        events.Should().Equal(Enumerable.Range(0, 6).SelectMany(i => new[] { $"found {40 + i}", $"exited {40 + i}" }));
        watch.Seen.Select(s => s.Pid).Should().Equal(40, 41, 42, 43, 44, 45);
        watch.Seen.Should().OnlyContain(s => s.ParentPid == 1 && s.ParentIsPid1 && s.ParentCommand == Server && s.Lived != null && s.KernelId == Kernel);
        watch.Running.Should().BeNull();
        watch.Started.Should().BeTrue();
        watch.Seen[0].ToString().Should().Contain("(parent 1, PID 1 in its namespace: /usr/bin/python3 /usr/bin/jupyterhub-singleuser").And.Contain("exited after");
    }

    /// <summary>
    /// The script's output from a real run (2026-11-30, by hand): docker exec -i into the suite's
    /// bookworm pre-pr233 image running `python3 -m notebook` as PID 1, a kernel started through its API;
    /// the first process and the restarter's five relaunches, all under PID 1, all dead.
    /// </summary>
    private static readonly string[] RecordedIncident =
    [
        "watching c24feb22-3e2d-44e2-9a7b-30d67f77c8be",
        .. new[] { 17, 55, 97, 145, 200, 276 }.SelectMany(pid => new[]
        {
            $"found {pid} 1 1 python3 -m notebook --ip=127.0.0.1 --port=8888 --NotebookApp.token= --NotebookApp.disable_check_xsrf=True --no-browser ",
            $"exited {pid}",
        }),
    ];

    [Theory]
    [InlineData("no watch")]
    [InlineData("watched, no control")]
    [InlineData("watched, control kept its kernel")]
    public void TheEngineClaimsTheIncidentsCauseOnlyWithTheWatchsLinesTheTreeAndAControl(string shown)
    {
        // Given a kernel death at start whose only words are the restarter's (as on a pod), the pod's process tree
        // (the server PID 1), and the watch's lines or none (an exec that failed)
        var watch = new ScriptedKernelWatch("c24feb22-3e2d-44e2-9a7b-30d67f77c8be", _ => { });
        foreach (var line in shown == "no watch" ? [] : RecordedIncident)
        {
            watch.Accept(line);
        }
        var died = new KernelDiedException("c24feb22-3e2d-44e2-9a7b-30d67f77c8be", "dead", TimeSpan.FromSeconds(21),
            "[W 16:18:12.890 NotebookApp] KernelRestarter: restart failed", "", atStart: true);
        var tree = new ProcessTree([new ProcessRow(1, 0, 1, "python3 -m notebook --ip=127.0.0.1 --port=8888 --NotebookApp.token= --NotebookApp.disable_check_xsrf=True --no-browser")]);
        var control = shown.EndsWith("kept its kernel", StringComparison.Ordinal)
            ? new KernelRegression.Evidence.ControlLaunch { Launch = "the same launch with an init as PID 1", AnsweredAfter = TimeSpan.FromSeconds(2), AliveFor = TimeSpan.FromSeconds(3) }
            : KernelRegression.Evidence.ControlLaunch.None("the kind tier cannot launch one yet");
        var evidence = new KernelRegression.Evidence.CellEvidence { Tier = "kind", KernelProcesses = watch.Seen, Server = new TierEvidence { Processes = tree }, Control = control };

        // When the engine explains the death
        var cause = KernelRegression.Evidence.Explainer.Cause(new KernelRegression.Evidence.CheckFailure(died, IsHarness: false), evidence);

        // Then the mechanism is claimed only with the watch's evidence and the control; the watch alone says what it saw
        switch (shown)
        {
            case "no watch":
                cause.Should().NotContain("PID 1").And.Contain("KernelRestarter: restart failed");
                break;
            case "watched, no control":
                cause.Should().StartWith("kernel died").And.Contain("its parent, the server `python3 -m notebook").And.Contain("(6 death(s) seen)")
                    .And.EndWith("not proven: no control (the kind tier cannot launch one yet)");
                cause.Should().NotContain("while the server, its parent, is PID 1");
                break;
            default:
                cause.Should().StartWith("kernel died at start while the server, its parent, is PID 1 (`python3 -m notebook").And.Contain("(6 death(s) seen)");
                break;
        }
    }

    [Fact]
    public void AKernelUnderAServerThatIsNotPid1IsRecordedSoAndStaysRunningUntilItsExitLine()
    {
        var (watch, events, _) = Watch();

        watch.Accept($"found 57 7 0 {Server}");

        watch.Running.Should().Match<KernelProcessSeen>(s => s.Pid == 57 && s.ParentPid == 7 && !s.ParentIsPid1 && s.Lived == null);
        events.Should().Equal("found 57");
    }

    [Fact]
    public void AParentOutsideTheNamespaceOrAlreadyGoneReadsAsPid0WithNoCommand()
    {
        // The script prints "found PID 0 0 " when the process was gone before its stat could be read
        var (watch, _, _) = Watch();

        watch.Accept("found 61 0 0 ");
        watch.Accept("exited 61");

        watch.Seen.Should().ContainSingle().Which.Should().Match<KernelProcessSeen>(s => s.ParentPid == 0 && !s.ParentIsPid1 && s.ParentCommand == "" && s.Lived != null);
    }

    [Fact]
    public void GarbageLinesAreLoggedAndChangeNothing()
    {
        var (watch, events, log) = Watch();
        string[] garbage =
        [
            "", "found", "found 12", "found x 1 1 server", "found 12 1 2 server", "found 0 1 1 server", "found -4 1 1 server",
            "exited", "exited twelve", "exited 0", "exited 12 13", "FOUND 12 1 1 server", "watching", "sh: 1: grep: not found",
            "found 12 1 1", // no command at all: still a found line (the parent's command line may be empty)
        ];

        foreach (var line in garbage)
        {
            watch.Accept(line);
        }

        // Only the last line is one the script prints; the rest are noted (the first five) and ignored
        watch.Seen.Should().ContainSingle().Which.Should().Match<KernelProcessSeen>(s => s.Pid == 12 && s.ParentCommand == "");
        events.Should().Equal("found 12");
        watch.Notes.Where(n => n.StartsWith("unreadable line ignored", StringComparison.Ordinal)).Should().HaveCount(5);
        log.Should().Contain(l => l.Contains($"kernel watch {Kernel}: unreadable line ignored: found x 1 1 server", StringComparison.Ordinal));
    }

    [Fact]
    public void AnExitOfAProcessNeverFoundIsNoDeathAndAProcessFoundTwiceIsOne()
    {
        var (watch, events, _) = Watch();

        watch.Accept("exited 90");
        watch.Accept($"found 91 1 1 {Server}");
        watch.Accept($"found 91 1 1 {Server}");
        watch.Accept("exited 91");
        watch.Accept("exited 91");

        events.Should().Equal("found 91", "exited 91");
        watch.Notes.Should().Contain(n => n.Contains("process 90 reported exited but not running", StringComparison.Ordinal))
            .And.Contain(n => n.Contains("process 91 reported found twice", StringComparison.Ordinal));
    }

    [Fact]
    public void AScriptWatchingAnotherKernelIsNoted()
    {
        var (watch, _, _) = Watch();

        watch.Accept("watching 11111111-2222");

        watch.Notes.Should().ContainSingle().Which.Should().Contain("watches kernel 11111111-2222, not this one");
    }

    [Fact]
    public async Task ALifetimeIsMeasuredOnTheHarnessClockFromTheLinesArrival()
    {
        var (watch, _, _) = Watch();

        watch.Accept($"found 70 1 1 {Server}");
        await Task.Delay(300, TestContext.Current.CancellationToken);
        watch.Accept("exited 70");

        watch.Seen.Single().Lived.Should().BeGreaterThanOrEqualTo(TimeSpan.FromMilliseconds(250)).And.BeLessThan(TimeSpan.FromSeconds(5));
    }

    [Fact]
    public async Task AFeedThatCannotBeOpenedLeavesTheWatchEmptyAndSaysWhy()
    {
        var log = new List<string>();

        using var watch = ScriptedKernelWatch.Start(Kernel,
            _ => throw new HarnessException("student-1 has no running pod to watch the kernel in (jupyter-student-1, phase Pending)", "wait"),
            l => { lock (log) { log.Add(l); } }, TestContext.Current.CancellationToken);
        await watch.Completion.WaitAsync(TimeSpan.FromSeconds(10), TestContext.Current.CancellationToken);

        watch.Seen.Should().BeEmpty();
        watch.Started.Should().BeFalse();
        log.Should().ContainSingle().Which.Should().Contain("not watched, no process exit will be seen: student-1 has no running pod").And.Contain("phase Pending");
    }

    [Fact]
    public async Task TheFeedsLinesBecomeEventsAsTheyArriveAndAFeedThatEndsWhileAKernelRunsIsNoDeath()
    {
        // Given a feed whose writer plays the script, a line at a time
        var feed = new PipeFeed();
        var exited = new List<int>();
        using var watch = ScriptedKernelWatch.Start(Kernel, _ => Task.FromResult(feed.Feed), _ => { }, TestContext.Current.CancellationToken);
        watch.Exited += s => { lock (exited) { exited.Add(s.Pid); } };
        var found = new TaskCompletionSource<int>();
        watch.Found += s => found.TrySetResult(s.Pid);

        // When a process is found and then the exec ends without its exit
        await feed.WriteAsync($"watching {Kernel}\nfound 33 1 1 {Server}\n");
        (await found.Task.WaitAsync(TimeSpan.FromSeconds(10), TestContext.Current.CancellationToken)).Should().Be(33);
        feed.EndOutput();
        await watch.Completion.WaitAsync(TimeSpan.FromSeconds(10), TestContext.Current.CancellationToken);

        // Then the process stays "running": the end of the stream is not an exit; the connection is closed
        exited.Should().BeEmpty();
        watch.Running!.Pid.Should().Be(33);
        watch.Notes.Should().Contain(n => n.Contains("output ended while process 33 ran", StringComparison.Ordinal));
        feed.Closed.Should().BeTrue();
    }

    [Fact]
    public async Task DisposingTheWatchClosesTheFeedsConnection()
    {
        // Given a feed that never ends by itself (an exec the script keeps open)
        var feed = new PipeFeed();
        var watch = ScriptedKernelWatch.Start(Kernel, _ => Task.FromResult(feed.Feed), _ => { }, TestContext.Current.CancellationToken);
        await feed.WriteAsync($"watching {Kernel}\n");
        await Eventually(() => watch.Started);

        // When the watch is disposed (the student's end)
        watch.Dispose();
        await watch.Completion.WaitAsync(TimeSpan.FromSeconds(10), TestContext.Current.CancellationToken);

        // Then its connection was closed, and the blocked read ended with it
        feed.Closed.Should().BeTrue();
        watch.Notes.Should().NotContain(n => n.Contains("ended", StringComparison.Ordinal));
    }

    private static async Task Eventually(Func<bool> condition)
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        while (!condition())
        {
            await Task.Delay(20, cts.Token);
        }
    }

    /// <summary>A feed over an OS pipe: a read blocks until a line is written or the pipe is closed, like an exec's stream.</summary>
    private sealed class PipeFeed : IAsyncDisposable
    {
        private readonly AnonymousPipeServerStream _writer = new(PipeDirection.Out);

        public PipeFeed() => Feed = new KernelWatchFeed(new AnonymousPipeClientStream(PipeDirection.In, _writer.ClientSafePipeHandle), null, this);

        public KernelWatchFeed Feed { get; }
        public bool Closed { get; private set; }

        public async Task WriteAsync(string text)
        {
            await _writer.WriteAsync(Encoding.UTF8.GetBytes(text));
            await _writer.FlushAsync();
        }

        public void EndOutput() => _writer.Dispose();

        public ValueTask DisposeAsync()
        {
            Closed = true;
            _writer.Dispose();
            return ValueTask.CompletedTask;
        }
    }
}
