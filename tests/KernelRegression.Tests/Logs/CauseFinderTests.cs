namespace KernelRegression.Tests.Logs;

public sealed class CauseFinderTests
{
    /// <summary>Log lines, and the one that must be named as the cause (whole, as CauseFinder words it).</summary>
    public static TheoryData<string[], string> MostTellingLines => new()
    {
        // A Python exception beats the restarter's generic line
        {
            [
                "[I 22:01:02.000 NotebookApp] Kernel started: 1234",
                "Traceback (most recent call last):",
                "ModuleNotFoundError: No module named 'ipykernel'",
                "[W 22:01:05.000 NotebookApp] KernelRestarter: restarting kernel (1/5), new random ports",
            ],
            "ModuleNotFoundError: No module named 'ipykernel'"
        },
        // A server started without the hub's variables says so before the hub's status line
        {
            [
                "    [I 2026-12-06 20:16:52.329 SingleUserNotebookApp mixins:610] Starting jupyterhub single-user server version 3.0.0",
                "    JUPYTERHUB_API_TOKEN env is required to run jupyterhub-singleuser. Did you launch it manually?",
                "[W 2026-12-06 20:17:01.167 JupyterHub web:1895] 500 POST /hub/api/users/a/server (172.21.0.1): Spawner failed to start [status=1].",
            ],
            "JUPYTERHUB_API_TOKEN env is required to run jupyterhub-singleuser. Did you launch it manually?"
        },
        // The incident's parent-poller line is named first
        {
            ["KeyError: 'x'", "[IPKernelApp] WARNING | Parent appears to have exited, shutting down."],
            "[IPKernelApp] WARNING | Parent appears to have exited, shutting down."
        },
        // The spawner's OOM line beats the hub's later 137
        {
            [
                "[W 00:16:44 JupyterHub kr_container_spawner:218] Container kr-1-a (abc) for a : status=exited exit code=137 oom_killed=True error=''; last 40 log lines:",
                "[W 00:16:44 JupyterHub web:1895] 500 POST /hub/api/users/a/server: Spawner failed to start [status=137]",
            ],
            "out of memory: [W 00:16:44 JupyterHub kr_container_spawner:218] Container kr-1-a (abc) for a : status=exited exit code=137 oom_killed=True error=''; last 40 log lines:"
        },
    };

    [Theory]
    [MemberData(nameof(MostTellingLines))]
    public void TheMostTellingLineIsTheCause(string[] lines, string cause) =>
        CauseFinder.Find(lines).Should().Be(cause);

    [Fact]
    public void TheServersOwnExceptionBeatsTheHubsLaterSpawnTimeout()
    {
        var lines = new[]
        {
            "FileNotFoundError: [Errno 2] No such file or directory: '/proc/kr-runtime'",
            "[E 2026-11-30 14:20:11.280 JupyterHub gen:630] Exception in Future <Task finished> after timeout",
            "    TimeoutError: Server at http://127.0.0.1:59597/user/student-7fc3bedf/ didn't respond in 30 seconds",
        };

        CauseFinder.Find(lines).Should().Be("FileNotFoundError: [Errno 2] No such file or directory: '/proc/kr-runtime'");
        CauseFinder.Find(lines.Skip(1)).Should().Contain("didn't respond in 30 seconds", "with nothing better, the hub's symptom is still named");
    }

    [Fact]
    public void AnsiColoursAreStripped() =>
        CauseFinder.Find(["\u001b[0;31mZeroDivisionError\u001b[0m: division by zero"]).Should().Be("ZeroDivisionError: division by zero");

    [Fact]
    public void NoExplanatoryLineGivesNull() =>
        CauseFinder.Find(["[I 10:00 ServerApp] Kernel started", "all good"]).Should().BeNull();
}
