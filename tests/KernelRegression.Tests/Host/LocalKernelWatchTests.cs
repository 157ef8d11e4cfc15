using System.Diagnostics;

namespace KernelRegression.Tests.Host;

/// <summary>The process and docker tiers' watch on this machine's /proc, on a stand-in kernel (a process whose command line names the connection file).</summary>
public sealed class LocalKernelWatchTests
{
    [Fact]
    public async Task AStandInKernelIsFoundWithItsParentAndItsSigkillIsSeen()
    {
        var kernel = Guid.NewGuid().ToString();
        var ct = TestContext.Current.CancellationToken;
        using var process = Process.Start(new ProcessStartInfo("sh") { ArgumentList = { "-c", "sleep 60", "x", $"/tmp/kr-watch-test/kernel-{kernel}.json" } })!;
        using var watch = LocalKernelWatch.Start(kernel, ct);
        var found = new TaskCompletionSource<KernelProcessSeen>(TaskCreationOptions.RunContinuationsAsynchronously);
        var exited = new TaskCompletionSource<KernelProcessSeen>(TaskCreationOptions.RunContinuationsAsynchronously);
        watch.Found += s => found.TrySetResult(s);
        watch.Exited += s => exited.TrySetResult(s);
        if (watch.Running is { } already)
        {
            found.TrySetResult(already);
        }

        // Generous bounds: both are events, and a loaded machine (a cold CI building images) may take
        // seconds to schedule the watch. How fast a death is seen is measured by `kr bench`, not here.
        var seen = await found.Task.WaitAsync(TimeSpan.FromSeconds(60), ct);
        process.Kill();
        var ended = await exited.Task.WaitAsync(TimeSpan.FromSeconds(60), ct);

        seen.Should().Match<KernelProcessSeen>(s => s.Pid == process.Id && s.ParentPid == Environment.ProcessId && !s.ParentIsPid1);
        ended.Lived.Should().NotBeNull();
        watch.Seen.Should().ContainSingle();
    }

    [Fact]
    public async Task AForkOfTheKernelIsNotTakenForIt()
    {
        // Given a stand-in kernel whose subshell (a fork that runs a command and never execs) names the
        // connection file as long as it lives, as a kernel's fork does until it execs
        var kernel = Guid.NewGuid().ToString();
        var ct = TestContext.Current.CancellationToken;
        using var process = Process.Start(new ProcessStartInfo("sh") { ArgumentList = { "-c", "( sleep 60; : ); :", "x", $"/tmp/kr-watch-test/kernel-{kernel}.json" } })!;
        var fork = Stopwatch.StartNew();
        while (LocalKernelWatch.Find(kernel).Count < 2 && fork.Elapsed < TimeSpan.FromSeconds(30))
        {
            await Task.Delay(20, ct);
        }
        LocalKernelWatch.Find(kernel).Should().HaveCount(2, "the kernel and its fork");

        // When the watch starts, the fork being the newest process that names the file
        using var watch = LocalKernelWatch.Start(kernel, ct);
        var found = new TaskCompletionSource<KernelProcessSeen>(TaskCreationOptions.RunContinuationsAsynchronously);
        watch.Found += s => found.TrySetResult(s);
        if (watch.Running is { } already)
        {
            found.TrySetResult(already);
        }

        // Then the kernel is the process watched
        (await found.Task.WaitAsync(TimeSpan.FromSeconds(60), ct)).Pid.Should().Be(process.Id);
        process.Kill(entireProcessTree: true);
    }

    [Fact]
    public async Task AKernelKilledTheMomentItIsFoundStillHasItsExitSeen()
    {
        var kernel = Guid.NewGuid().ToString();
        var ct = TestContext.Current.CancellationToken;
        using var watch = LocalKernelWatch.Start(kernel, ct);
        var exited = new TaskCompletionSource<KernelProcessSeen>(TaskCreationOptions.RunContinuationsAsynchronously);
        watch.Exited += s => exited.TrySetResult(s);
        // A listener that kills the kernel and waits until it is reaped before the watch goes on: the watch
        // must already hold its exit watch, or the exit is never reported.
        watch.Found += s =>
        {
            using var found = Process.GetProcessById(s.Pid);
            found.Kill();
            var reaped = Stopwatch.StartNew();
            while (Directory.Exists($"/proc/{s.Pid}") && reaped.Elapsed < TimeSpan.FromSeconds(10))
            {
                Thread.Sleep(10);
            }
        };
        using var process = Process.Start(new ProcessStartInfo("sh") { ArgumentList = { "-c", "sleep 60", "x", $"/tmp/kr-watch-test/kernel-{kernel}.json" } })!;

        var ended = await exited.Task.WaitAsync(TimeSpan.FromSeconds(60), ct);

        ended.Pid.Should().Be(process.Id);
        ended.Lived.Should().NotBeNull();
    }

    [Theory]
    [InlineData("sleep 1; exit 3", "exit 3")]
    [InlineData("sleep 1; kill -KILL $$", "killed by SIGKILL")]
    public async Task HowAKernelEndedIsReadFromItsZombieBeforeItsParentReapsIt(string script, string ending)
    {
        // Given a stand-in kernel whose parent, as a server between its restarter's polls, has not reaped it:
        // a parent that execs into `sleep 30` after starting it (the connection file only in the kernel's arguments)
        var kernel = Guid.NewGuid().ToString();
        var ct = TestContext.Current.CancellationToken;
        var start = new ProcessStartInfo("sh") { ArgumentList = { "-c", "sh -c \"$KR_KERNEL_SCRIPT\" \"$KR_KERNEL_FILE\" & exec sleep 30" } };
        start.Environment["KR_KERNEL_SCRIPT"] = script;
        start.Environment["KR_KERNEL_FILE"] = $"/tmp/kr-watch-test/kernel-{kernel}.json";
        using var watch = LocalKernelWatch.Start(kernel, ct);
        var exited = new TaskCompletionSource<KernelProcessSeen>(TaskCreationOptions.RunContinuationsAsynchronously);
        watch.Exited += s => exited.TrySetResult(s);
        using var parent = Process.Start(start)!;
        try
        {
            // When it ends
            var ended = await exited.Task.WaitAsync(TimeSpan.FromSeconds(60), ct);

            // Then the watch says how, as the wait status its parent has yet to collect
            ended.End.Should().NotBeNull();
            ended.End!.ToString().Should().Be(ending);
            ended.Ending.Should().StartWith("exited after ").And.EndWith(ending);
        }
        finally
        {
            parent.Kill();
        }
    }

    [Theory]
    [InlineData(1 << 8, "exit 1", false)]
    [InlineData(137 << 8, "exit 137 (a shell's code for a child killed by SIGKILL)", true)]
    [InlineData(9, "killed by SIGKILL", true)]
    [InlineData(11 | 0x80, "killed by SIGSEGV", false)]
    public void AWaitStatusReadsAsAnExitCodeOrASignal(int status, string text, bool sigkilled)
    {
        var end = new ProcessEnd(status);

        end.ToString().Should().Be(text);
        end.Sigkilled.Should().Be(sigkilled);
    }
}
