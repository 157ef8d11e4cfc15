using System.Diagnostics;
using System.Threading.Channels;

namespace KernelRegression.Tests.Host;

/// <summary>
/// The kernel watch script run for real by dash (Debian's /bin/sh, the suite's images' shell) against
/// this machine's processes: stand-in kernels are processes whose command line names a connection
/// file, as a kernel's does; a PID-1 server is the first process of a pid namespace of its own
/// (unshare, as a container's is). Its output goes through <see cref="ScriptedKernelWatch"/>.
/// </summary>
public sealed class KernelWatchScriptTests : IDisposable
{
    private readonly string _kernel = Guid.NewGuid().ToString();
    private readonly List<Process> _started = [];

    private string ConnectionFile => $"/tmp/kr-watch-test/kernel-{_kernel}.json";

    public void Dispose()
    {
        foreach (var p in _started)
        {
            try
            {
                p.Kill(entireProcessTree: true);
            }
            catch (InvalidOperationException)
            {
                // exited already
            }
            p.Dispose();
        }
    }

    [Fact]
    public async Task AKernelUnderAPid1ServerIsSeenEachTimeItIsRelaunchedAndNeverTheScriptItself()
    {
        // Given a pid namespace whose PID 1 is a "server" that runs the watch script, then launches a
        // short-lived kernel three times with the same connection file (the restarter's way)
        var server = """exec 3<&0; dash -c "$W" <&3 & sleep 0.5; i=0; while [ $i -lt 3 ]; do sh -c 'sleep 0.6' x "$F"; sleep 0.3; i=$((i+1)); done; wait""";
        var run = Start("unshare", ["--fork", "--pid", "--mount-proc", "dash", "-c", server]);
        var watch = new ScriptedKernelWatch(_kernel, _ => { });

        // When the script's lines are read until the third exit
        var lines = await run.LinesUntilAsync(l => l.StartsWith("exited", StringComparison.Ordinal), count: 3);
        foreach (var line in lines)
        {
            watch.Accept(line);
        }

        // Then: three processes, each found then exited, each a child of PID 1 (the server), none the script
        lines.Should().HaveCount(7).And.StartWith($"watching {_kernel}");
        watch.Seen.Should().HaveCount(3).And.OnlyContain(s => s.ParentPid == 1 && s.ParentIsPid1 && s.Lived != null
            && s.ParentCommand.StartsWith("dash -c exec 3<&0;", StringComparison.Ordinal));
        watch.Seen.Select(s => s.Pid).Should().OnlyHaveUniqueItems();
        watch.Notes.Should().ContainSingle().Which.Should().Be("the watch script runs");

        // And closing its stdin ends the script (and so the namespace)
        await run.CloseStdinAndWaitAsync(TimeSpan.FromSeconds(3));
    }

    [Fact]
    public async Task AForkOfTheKernelIsNotTakenForIt()
    {
        // Given a stand-in kernel under a PID-1 server whose subshell (a fork that never execs) names the
        // connection file while it lives, as a kernel's fork does until it execs
        var server = """exec 3<&0; sh -c '( sleep 1; : ); :' x "$F" & sleep 0.3; dash -c "$W" <&3 & wait""";
        var run = Start("unshare", ["--fork", "--pid", "--mount-proc", "dash", "-c", server]);

        // When the script reports the first process it finds
        var found = (await run.LinesUntilAsync(l => l.StartsWith("found", StringComparison.Ordinal))).Last();

        // Then it is the kernel, the server's child, not its fork
        found.Should().StartWith("found 2 1 1 ");
        await run.CloseStdinAndWaitAsync(TimeSpan.FromSeconds(3));
    }

    [Fact]
    public async Task AKilledKernelIsReportedExitedWhileTheScriptRunsAndItsParentIsNotPid1OutsideANamespace()
    {
        // Given a stand-in kernel, a child of this test process, and the script watching it
        var kernel = Start("sh", ["-c", "sleep 60", "x", ConnectionFile]);
        var run = Start("dash", ["-c", KernelWatchScript.For(_kernel)]);
        var watch = new ScriptedKernelWatch(_kernel, _ => { });
        foreach (var line in await run.LinesUntilAsync(l => l.StartsWith("found", StringComparison.Ordinal)))
        {
            watch.Accept(line);
        }
        watch.Running!.Pid.Should().Be(kernel.Process.Id);
        watch.Running.ParentPid.Should().Be(Environment.ProcessId);
        watch.Running.ParentIsPid1.Should().BeFalse();

        // When it is SIGKILLed
        kernel.Process.Kill();
        var exit = (await run.LinesUntilAsync(l => l.StartsWith("exited", StringComparison.Ordinal))).Last();

        // Then its exit is reported while the script still runs (how fast: `kr bench`, not a timed test)
        run.Process.HasExited.Should().BeFalse();
        exit.Should().Be($"exited {kernel.Process.Id}");
        await run.CloseStdinAndWaitAsync(TimeSpan.FromSeconds(3));
    }

    [Fact]
    public async Task AKernelItsParentNeverReapsIsExitedOnceItIsAZombie()
    {
        // Given a parent that starts the kernel and then never waits for it (exec sleep), so the dead
        // kernel stays in /proc as a zombie: gone for the watch, still there for a test of /proc/PID
        var parent = Start("dash", ["-c", """sh -c 'sleep 1.5' x "$F" & exec sleep 8"""]);
        var run = Start("dash", ["-c", KernelWatchScript.For(_kernel)]);

        var lines = await run.LinesUntilAsync(l => l.StartsWith("exited", StringComparison.Ordinal));

        var pid = int.Parse(lines.Last().Split(' ')[1], System.Globalization.CultureInfo.InvariantCulture);
        Directory.Exists($"/proc/{pid}").Should().BeTrue("the zombie is still there: only its state says it died");
        File.ReadAllText($"/proc/{pid}/stat").Should().Contain(") Z ");
        lines.Should().Contain(l => l.StartsWith($"found {pid} {parent.Process.Id} 0 ", StringComparison.Ordinal));
        await run.CloseStdinAndWaitAsync(TimeSpan.FromSeconds(3));
    }

    [Fact]
    public async Task WithoutAKernelTheScriptReportsNothingAndEndsWithItsStdin()
    {
        var run = Start("dash", ["-c", KernelWatchScript.For(_kernel)]);

        (await run.LinesUntilAsync(l => l.StartsWith("watching", StringComparison.Ordinal))).Should().Equal($"watching {_kernel}");
        await Task.Delay(700, TestContext.Current.CancellationToken);
        run.Process.HasExited.Should().BeFalse("the script watches until its stdin ends");
        await run.CloseStdinAndWaitAsync(TimeSpan.FromSeconds(3));

        run.Remaining().Should().BeEmpty();
    }

    [Fact]
    public async Task ItsLimitEndsItWithoutReportingADeath()
    {
        // Given a kernel that outlives the script's limit of 0.5 s
        Start("sh", ["-c", "sleep 60", "x", ConnectionFile]);
        var run = Start("dash", ["-c", KernelWatchScript.For(_kernel, TimeSpan.FromMilliseconds(500))]);

        // When the limit is reached, the script ends by itself
        await run.Process.WaitForExitAsync(TestContext.Current.CancellationToken).WaitAsync(TimeSpan.FromSeconds(5), TestContext.Current.CancellationToken);

        // Then the kernel was found and never reported exited
        var lines = run.Remaining();
        lines.Should().Contain(l => l.StartsWith("found", StringComparison.Ordinal)).And.NotContain(l => l.StartsWith("exited", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("")]
    [InlineData("abc'; rm -rf ~; '")]
    [InlineData("-rf")]
    public void AKernelIdThatIsNoIdIsRefusedByName(string id)
    {
        var act = () => KernelWatchScript.For(id);

        act.Should().Throw<HarnessException>().Which.What.Should().Contain($"'{id}' is not a kernel id");
    }

    private ScriptRun Start(string program, string[] args)
    {
        var info = new ProcessStartInfo(program)
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var a in args)
        {
            info.ArgumentList.Add(a);
        }
        info.Environment["F"] = ConnectionFile;
        info.Environment["W"] = KernelWatchScript.For(_kernel);
        var process = Process.Start(info)!;
        _started.Add(process);
        return new ScriptRun(process);
    }

    /// <summary>A started process's stdout, line by line, as it comes.</summary>
    private sealed class ScriptRun
    {
        private readonly Channel<string> _lines = Channel.CreateUnbounded<string>();

        public ScriptRun(Process process)
        {
            Process = process;
            process.OutputDataReceived += (_, e) =>
            {
                if (e.Data is null)
                {
                    _lines.Writer.TryComplete();
                }
                else
                {
                    _lines.Writer.TryWrite(e.Data);
                }
            };
            process.ErrorDataReceived += (_, _) => { };
            process.BeginOutputReadLine();
            process.BeginErrorReadLine();
        }

        public Process Process { get; }

        /// <summary>Lines up to and including the <paramref name="count"/>th that matches; fails after 10 s.</summary>
        public async Task<List<string>> LinesUntilAsync(Func<string, bool> match, int count = 1)
        {
            using var cts = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
            cts.CancelAfter(TimeSpan.FromSeconds(10));
            var lines = new List<string>();
            while (count > 0)
            {
                var line = await _lines.Reader.ReadAsync(cts.Token);
                lines.Add(line);
                count -= match(line) ? 1 : 0;
            }
            return lines;
        }

        public List<string> Remaining()
        {
            var lines = new List<string>();
            while (_lines.Reader.TryRead(out var line))
            {
                lines.Add(line);
            }
            return lines;
        }

        public async Task CloseStdinAndWaitAsync(TimeSpan within)
        {
            Process.StandardInput.Close();
            await Process.WaitForExitAsync(TestContext.Current.CancellationToken).WaitAsync(within, TestContext.Current.CancellationToken);
        }
    }
}
