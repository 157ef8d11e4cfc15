using System.Diagnostics;
using System.Globalization;
using System.Text.Json.Nodes;
using KernelRegression;
using KernelRegression.Bench;
using KernelRegression.Matrix;
using KernelRegression.Tiers;
using KernelRegression.Tiers.Docker;
using KernelRegression.Tiers.Process;
using KernelRegression.Host;
using KernelRegression.Latency;
using KernelRegression.Reports;
using KernelRegression.Docker;
using KernelRegression.Images;

namespace KernelRegression.Cli;

/// <summary>kr bench: the harness' step timings beside a raw floor from the same run, time-to-detect, and a load run.</summary>
public sealed class BenchCommand : AsyncCommand<BenchCommand.Arguments>
{
    public sealed class Arguments : MatrixSettings
    {
        [CommandOption("--tier <TIER>")]
        [Description("process (default: local JupyterHub) or docker (one cell, --cell)")]
        public string Tier { get; init; } = "process";

        [CommandOption("--cell <CELL>")]
        [Description("docker tier: the cell to bench (default docker/hub-bookworm/img-bookworm/profile-default)")]
        public string Cell { get; init; } = "docker/hub-bookworm/img-bookworm/profile-default";

        [CommandOption("--only <PART>")]
        [Description("floor (steps, raw floor, time-to-detect) or load; default both")]
        public string? Only { get; init; }

        [CommandOption("--executions <N>")]
        [Description("execute round trips measured per client (default 50)")]
        public int Executions { get; init; } = 50;

        [CommandOption("--rounds <N>")]
        [Description("rounds of spawn / kernel / execute / kill / stop (default 3)")]
        public int Rounds { get; init; } = 3;

        [CommandOption("--users <N>")]
        [Description("concurrent students in the load run (default 10)")]
        public int Users { get; init; } = 10;

        [CommandOption("--output <DIR>")]
        [Description("where the JSON goes (default artifacts/bench, beside the run folders)")]
        public string Output { get; init; } = CellRunSettings.BesideRuns("bench");

        public override ValidationResult Validate() =>
            Tier is not ("process" or "docker") ? ValidationResult.Error($"unknown tier '{Tier}': bench runs on process or docker")
            : Only is not (null or "floor" or "load") ? ValidationResult.Error($"--only '{Only}': use floor or load")
            : Executions < 1 || Rounds < 1 ? ValidationResult.Error("--executions and --rounds must be at least 1")
            : Users < 1 ? ValidationResult.Error("--users must be at least 1")
            : ValidationResult.Success();
    }

    public override async Task<int> ExecuteAsync(CommandContext context, Arguments settings, CancellationToken cancellationToken)
    {
        var ct = cancellationToken; // cancelled by Ctrl-C, SIGTERM or SIGHUP (Program.cs)
        try
        {
            await using var run = Run.Start();
            RunLog.Open(Path.GetFullPath(settings.Output), $"bench-{run.Id}.log");
            var (deployment, token, options, hubUp) = await StartAsync(settings, run, ct);
            await using (deployment)
            {
                AnsiConsole.MarkupLineInterpolated($"[grey]bench {run.Id}:[/] JupyterHub {deployment.HubVersion} ({settings.Tier}), up in {hubUp.TotalMilliseconds:0} ms; {BenchMachine.Describe()}");
                FloorBenchResult? floor = null;
                LoadResult? load = null;
                if (settings.Only is null or "floor")
                {
                    var bench = new FloorBench(deployment, token, options,
                        new FloorBenchOptions(settings.Rounds, Executions: settings.Executions, KillDetect: settings.Tier == "process"),
                        line => AnsiConsole.MarkupLineInterpolated($"  [grey]{line}[/]"));
                    floor = await bench.RunAsync(ct);
                    PrintFloor(floor, hubUp, BenchBudgets.For(settings.LoadMatrix(), settings.Tier, settings.Cell));
                }
                if (settings.Only is null or "load")
                {
                    AnsiConsole.MarkupLineInterpolated($"[grey]load: {settings.Users} students at once…[/]");
                    load = await new LoadBench(deployment, options, settings.Users).RunAsync(ct);
                    PrintLoad(load);
                }
                var path = BenchReport.Write(Path.GetFullPath(settings.Output),
                    new BenchResult(run.Id, settings.Tier, BenchMachine.Describe(), deployment.HubVersion, hubUp, floor, load));
                AnsiConsole.MarkupLineInterpolated($"JSON: [link]{path}[/]");
                return load is { Errors.Count: > 0 } ? 1 : 0;
            }
        }
        catch (ActionableException e)
        {
            return BadInput.Report(e);
        }
    }

    private static async Task<(IHubDeployment, string, JsonObject?, TimeSpan)> StartAsync(Arguments s, Run run, CancellationToken ct)
    {
        if (s.Tier == "process")
        {
            var sw = Stopwatch.StartNew();
            var hub = await new ProcessHubBuilder().StartAsync(run, ct);
            return (hub, hub.Token, null, sw.Elapsed);
        }
        var cell = s.LoadMatrix().CellById(s.Cell);
        if (cell.Tier != "docker")
        {
            throw new HarnessException($"'{cell.Id}' is a {cell.Tier} cell; bench --tier docker takes a docker cell", "list them with `kr cells`");
        }
        await DockerEngine.RequireAsync(ct);
        var image = await ImageStore.Shared.SingleUserAsync(cell.Image, ct);
        await ImageStore.Shared.HubAsync(cell.Hub, ct);
        var clock = Stopwatch.StartNew();
        var docker = await DockerHub.StartAsync(cell.Hub, run, ImageStore.Shared, ct);
        var up = clock.Elapsed;
        run.OnDispose(() => DockerEngine.RemoveRunAsync(run.Id, CancellationToken.None));
        return (docker, docker.Token, docker.UserOptions(image, LaunchProfile.Resolve(cell.Profile)), up);
    }

    private static string F(double ms) => double.IsNaN(ms) ? "–" : ms.ToString(ms < 100 ? "0.0" : "0", CultureInfo.InvariantCulture);

    private static void PrintFloor(FloorBenchResult r, TimeSpan hubUp, StepBudgets budgets)
    {
        var table = new Table().Title("harness vs raw floor (ms, same run); harness p95 against the matrix's step budget")
            .AddColumns("step", "n", "harness p50", "p95", "p99", "raw p50", "p95", "p99", "ratio p50", "p95 / budget");
        table.AddRow("hub up", "1", F(hubUp.TotalMilliseconds), "", "", "–", "", "", "–", "–");
        foreach (var s in r.Steps)
        {
            table.AddRow(s.Step, s.Harness.Count.ToString(CultureInfo.InvariantCulture), F(s.Harness.P50), F(s.Harness.P95), F(s.Harness.P99),
                F(s.Raw?.P50 ?? double.NaN), F(s.Raw?.P95 ?? double.NaN), F(s.Raw?.P99 ?? double.NaN),
                double.IsNaN(s.Ratio) ? "–" : s.Ratio.ToString("0.00", CultureInfo.InvariantCulture), BenchBudgets.Ratio(budgets, s.Step, s.Harness.P95));
        }
        if (r.DetectHarness is { } h && r.DetectRaw is { } raw)
        {
            table.AddRow("detect kill", h.Count.ToString(CultureInfo.InvariantCulture), F(h.P50), F(h.P95), F(h.Max),
                F(raw.P50), F(raw.P95), F(raw.Max), (h.P50 / raw.P50).ToString("0.00", CultureInfo.InvariantCulture), "–");
        }
        AnsiConsole.Write(table);
        foreach (var source in r.DetectSources.Distinct())
        {
            AnsiConsole.MarkupLineInterpolated($"  [grey]detected by: {source}[/]");
        }
    }

    private static void PrintLoad(LoadResult r)
    {
        var table = new Table().Title($"load: {r.Users} users, {r.ExecutionsPerUser} executions each, {r.Wall.TotalSeconds:0.0} s wall, {r.Errors.Count} errors")
            .AddColumns("step", "n", "p50", "p95", "p99", "max");
        foreach (var s in r.Steps)
        {
            table.AddRow(s.Step, s.Count.ToString(CultureInfo.InvariantCulture), F(s.P50), F(s.P95), F(s.P99), F(s.Max));
        }
        AnsiConsole.Write(table);
        foreach (var e in r.Errors)
        {
            AnsiConsole.MarkupLineInterpolated($"  [red]{e}[/]");
        }
    }
}
