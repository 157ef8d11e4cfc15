using System.Runtime.InteropServices;
using KernelRegression.Cli;

// Ctrl-C, `kill`, `timeout` and a closed terminal all end a run the same way: cancel, tear down what
// it started (containers, processes, networks), write what it has, exit. A second signal is not
// swallowed, so a stuck teardown can still be killed.
using var stop = new CancellationTokenSource();
PosixSignalRegistration[] signals = [.. new[] { PosixSignal.SIGINT, PosixSignal.SIGTERM, PosixSignal.SIGHUP }.Select(s =>
    PosixSignalRegistration.Create(s, c =>
    {
        c.Cancel = !stop.IsCancellationRequested;
        stop.Cancel();
    }))];

var app = new CommandApp();
app.Configure(config =>
{
    config.SetApplicationName("kr");
    // A misspelt option (--cell for --cells) must not be dropped silently: it would run the whole default matrix.
    config.UseStrictParsing();
    // A usage error (an unknown option, a value a command's settings refuse) is bad input like any other: exit 2, as
    // the README says, not Spectre's -1. Anything else is a bug of ours and keeps Spectre's exception print.
    config.SetExceptionHandler((e, _) =>
    {
        if (e is CommandAppException usage)
        {
            if (usage.Pretty is { } pretty)
            {
                AnsiConsole.Write(pretty); // the message with the argument it is about underlined
            }
            else
            {
                AnsiConsole.MarkupLineInterpolated($"[red]error:[/] {usage.Message}");
            }
            return BadInput.ExitCode;
        }
        AnsiConsole.WriteException(e, ExceptionFormats.ShortenEverything);
        return -1;
    });
    config.AddCommand<RunCommand>("run")
        .WithDescription("Stand a deployment up (or connect to one), run the kernel checks, write the reports. Exit 0 when every cell met its expected outcome, 1 when one did not, 2 on bad input, 3 when the harness itself broke on a cell.")
        .WithExample("run")
        .WithExample("run", "--tier", "process", "--alive-window", "30")
        .WithExample("run", "--tier", "docker", "--cells", "docker/hub-sid/*")
        .WithExample("run", "--tier", "existing", "--hub-url", "https://hub.example.org/")
        .WithExample("run", "--values", "deploy/common.yaml", "--values", "deploy/staging.yaml", "--image-map", "example.org/course/notebook:*=bookworm");
    config.AddCommand<CheckChangeCommand>("check-change")
        .WithDescription("Before a deployment change merges: run the cells of your z2jh values at its base and at its head; exit 1 when the head breaks a cell the base passes (which, and why), 0 when nothing got worse, 3 on a harness error.")
        .WithExample("check-change", "--repo", "../deploy", "--base", "origin/main", "--values", "deploy/common.yaml", "--values", "deploy/staging.yaml", "--image-map", "example.org/course/notebook:*=bookworm");
    config.AddCommand<PlanCommand>("plan")
        .WithDescription("Print exactly what a run of a Kubernetes cell would do, step by step, without doing it.")
        .WithExample("plan", "kind/hub-z2jh-4/img-sid/profile-default");
    config.AddCommand<BisectCommand>("bisect")
        .WithDescription("Find the first bad value along one axis (image, hub, launch profile, or commits of a deployment repo) in log2 steps on the docker tier: ends verified first, each step's verdict, cause and evidence, then the culprit and what changed. Exit 0 when a culprit is found, 2 on bad input or inconsistent ends.")
        .WithExample("bisect", "profile", "history", "--image", "bookworm-pre-pr233", "--hub", "trixie")
        .WithExample("bisect", "image", "bullseye", "bookworm", "trixie", "sid", "--profile", "kubespawner-pr34-command")
        .WithExample("bisect", "commits", "--repo", "../deploy", "--good", "v1", "--bad", "v2", "--values", "deploy/common.yaml", "--image-map", "example.org/course/notebook:*=bookworm");
    config.AddCommand<BenchCommand>("bench")
        .WithDescription("Step timings of the harness (hub up, spawn, kernel ready, execute p50/p95/p99, stop) beside a raw HTTP/WebSocket floor from the same run, time-to-detect a SIGKILLed kernel, and a load run of concurrent students; JSON under artifacts/bench/.")
        .WithExample("bench")
        .WithExample("bench", "--executions", "200", "--users", "10")
        .WithExample("bench", "--tier", "docker", "--only", "load", "--users", "20");
    config.AddCommand<ChecksCommand>("checks")
        .WithDescription("List the checks: what each proves, what it needs, whether it changes what a live hub's users would notice.");
    config.AddCommand<CellsCommand>("cells")
        .WithDescription("List the matrix's default cells and their expected outcomes.")
        .WithExample("cells", "--cells", "*/img-bookworm-pre-pr233/*");
});
var exit = await app.RunAsync(args, stop.Token);
foreach (var s in signals)
{
    s.Dispose();
}
return exit;
