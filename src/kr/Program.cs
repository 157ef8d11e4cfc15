using System.Runtime.InteropServices;
using KernelRegression.Cli;

// Ctrl-C, `kill`, `timeout` and a closed terminal all end a run the same way: cancel, tear down what
// it started (containers, processes, networks), write what it has, exit 128 + the signal's number, as a shell
// reports a command a signal ended (Ctrl-C: 130). A second signal is not swallowed, so a stuck teardown can
// still be killed.
using var stop = new CancellationTokenSource();
var stoppedBy = 0;
PosixSignalRegistration[] signals = [.. new[] { (PosixSignal.SIGINT, 2), (PosixSignal.SIGTERM, 15), (PosixSignal.SIGHUP, 1) }.Select(s =>
    PosixSignalRegistration.Create(s.Item1, c =>
    {
        c.Cancel = !stop.IsCancellationRequested;
        Interlocked.CompareExchange(ref stoppedBy, s.Item2, 0);
        stop.Cancel();
    }))];

Terminal.Setup();
// Testcontainers' own lines ("Docker container … created") go to the run's kr.log, not between the run's lines.
KernelRegression.Docker.TestcontainersLog.Logger = RunLog.Testcontainers;

var app = new CommandApp();
app.Configure(config =>
{
    config.SetApplicationName("kr");
    config.SetApplicationVersion(KrVersion.Text);
    // A misspelt option (--cell for --cells) must not be dropped silently: it would run the whole default matrix.
    config.UseStrictParsing();
    config.SetExceptionHandler((e, _) =>
    {
        // A usage error (an unknown option, a value a command's settings refuse) is bad input like any other: exit 2,
        // as the README says, not Spectre's -1.
        if (e is CommandAppException usage)
        {
            if (usage.Pretty is { } pretty)
            {
                Terminal.Errors.Write(pretty); // the message with the argument it is about underlined
            }
            else
            {
                Terminal.Errors.MarkupLineInterpolated($"[red]error:[/] {usage.Message}");
            }
            return BadInput.ExitCode;
        }
        // Stopped by a signal: what the cancellation threw is not an error (the exit code says it below).
        if (stop.IsCancellationRequested)
        {
            RunLog.Write($"stopped: {e.GetType().Name}: {e.Message}");
            return 1;
        }
        return HarnessError.Report(e);
    });
    config.AddCommand<RunCommand>("run")
        .WithDescription("Stand a deployment up (or connect to one), run the kernel checks, write the reports. Exit 0 when every cell met its expected outcome, 1 when one did not, 2 on bad input, 3 when the harness itself broke on a cell.")
        .WithExample("run")
        .WithExample("run", "--tier", "process", "--alive-window", "30")
        .WithExample("run", "--tier", "docker", "--cells", "'docker/hub-sid/*'")
        .WithExample("run", "--tier", "docker", "--shard", "2/3")
        .WithExample("run", "--tier", "existing", "--hub-url", "https://hub.example.org/")
        .WithExample("run", "--values", "deploy/common.yaml", "--values", "deploy/staging.yaml", "--image-map", "'example.org/course/notebook:*=bookworm'");
    config.AddCommand<CheckChangeCommand>("check-change")
        .WithDescription("Before a deployment change merges: run the cells of your z2jh values at its base and at its head; exit 1 when the head breaks a cell the base passes (which, and why), 0 when nothing got worse, 3 on a harness error.")
        .WithExample("check-change", "--repo", "../deploy", "--base", "origin/main", "--values", "deploy/common.yaml", "--values", "deploy/staging.yaml", "--image-map", "'example.org/course/notebook:*=bookworm'");
    config.AddCommand<PlanCommand>("plan")
        .WithDescription("Print exactly what a run of a Kubernetes cell would do, step by step, without doing it.")
        .WithExample("plan", "kind/hub-z2jh-4/img-sid/profile-default")
        .WithExample("plan", "kind/hub-z2jh-4/img-sid/profile-default", "--json");
    config.AddCommand<BisectCommand>("bisect")
        .WithDescription("Find the first bad value along one axis (image, hub, launch profile, or commits of a deployment repo) in log2 steps on the docker tier: ends verified first, each step's verdict, cause and evidence, then the culprit and what changed. Exit 0 when a culprit is found, 2 on bad input or inconsistent ends.")
        .WithExample("bisect", "profile", "history", "--image", "bookworm-pre-pr233", "--hub", "trixie")
        .WithExample("bisect", "image", "bullseye", "bookworm", "trixie", "sid", "--profile", "kubespawner-pr34-command")
        .WithExample("bisect", "commits", "--repo", "../deploy", "--good", "v1", "--bad", "v2", "--values", "deploy/common.yaml", "--image-map", "'example.org/course/notebook:*=bookworm'");
    config.AddCommand<BenchCommand>("bench")
        .WithDescription("Step timings of the harness (hub up, spawn, kernel ready, execute p50/p95/p99, stop) beside a raw HTTP/WebSocket floor from the same run, time-to-detect a SIGKILLed kernel, and a load run of concurrent students; JSON under artifacts/bench/.")
        .WithExample("bench")
        .WithExample("bench", "--executions", "200", "--users", "10")
        .WithExample("bench", "--tier", "docker", "--only", "load", "--users", "20");
    config.AddCommand<ChecksCommand>("checks")
        .WithDescription("List the checks: what each proves, what it needs, whether it changes what a live hub's users would notice.")
        .WithExample("checks", "--json");
    config.AddCommand<CellsCommand>("cells")
        .WithDescription("List the matrix's default cells and their expected outcomes.")
        .WithExample("cells", "--cells", "'*/img-bookworm-pre-pr233/*'")
        .WithExample("cells", "--json");
});
var exit = await app.RunAsync(args, stop.Token);
foreach (var s in signals)
{
    s.Dispose();
}
if (Volatile.Read(ref stoppedBy) != 0)
{
    // Whatever the command made of its cancellation, a run a signal ended has no verdict; it cleaned up before this.
    exit = 128 + stoppedBy;
    Terminal.Errors.MarkupLine($"[yellow]stopped[/] by signal {stoppedBy} after cleaning up (exit {exit})");
}
return exit;
