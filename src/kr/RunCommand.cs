using System.ComponentModel;
using System.Diagnostics;
using KernelRegression;
using KernelRegression.Checks;
using KernelRegression.Evidence;
using KernelRegression.Matrix;
using KernelRegression.Tiers.Docker;
using KernelRegression.Runs;
using KernelRegression.Tiers;
using KernelRegression.Tiers.Existing;
using KernelRegression.Tiers.Process;
using Spectre.Console;
using Spectre.Console.Cli;

namespace KernelRegression.Cli;

/// <summary>kr run: the README's main command.</summary>
public sealed class RunCommand : AsyncCommand<RunCommand.Settings>
{
    public sealed class Settings : CommandSettings
    {
        [CommandOption("--tier <TIER>")]
        [Description("process (default: JupyterHub as local processes), docker (the matrix's docker cells), kind (the matrix's kind cells, a cluster each: needs docker, kind, helm) or existing (any hub: --hub-url and KR_HUB_TOKEN)")]
        public string Tier { get; init; } = Environment.GetEnvironmentVariable("KR_TIER") ?? "process";

        [CommandOption("--hub-url <URL>")]
        [Description("the hub's public URL, for --tier existing (or KR_HUB_URL)")]
        public string? HubUrl { get; init; } = Environment.GetEnvironmentVariable("KR_HUB_URL");

        [CommandOption("--cells <GLOBS>")]
        [Description("docker tier: comma-separated globs on cell ids, e.g. 'docker/hub-sid/*' (or KR_CELLS; default: the matrix's default selection)")]
        public string? Cells { get; init; } = Environment.GetEnvironmentVariable("KR_CELLS");

        [CommandOption("--matrix <FILE>")]
        [Description("the matrix file (or KR_MATRIX; default fixtures/matrix.yaml)")]
        public string? Matrix { get; init; } = Environment.GetEnvironmentVariable("KR_MATRIX");

        [CommandOption("--parallel <N>")]
        [Description("docker tier: cells run at once (or KR_PARALLEL; default 3)")]
        public int Parallel { get; init; } = DockerMatrixRun.DefaultParallel;

        [CommandOption("--repeat <N>")]
        [Description("run the cells N times and report, per cell, how many runs met the expected outcome; a cell that met it only sometimes is flaky (or KR_REPEAT; default 1)")]
        public int Repeat { get; init; } = int.TryParse(Environment.GetEnvironmentVariable("KR_REPEAT"), out var r) ? r : 1;

        [CommandOption("--checks <LIST>")]
        [Description("comma-separated checks: kernel-starts, executes, stays-alive, interrupt, restart, notebook (default: all; non-destructive ones on an existing hub)")]
        public string? Checks { get; init; }

        [CommandOption("--alive-window <SECONDS>")]
        [Description("how long the kernel must stay alive (default 10)")]
        public double AliveWindow { get; init; } = 10;

        [CommandOption("--output <DIR>")]
        [Description("where run folders go (default artifacts/runs)")]
        public string Output { get; init; } = Environment.GetEnvironmentVariable("KR_OUTPUT") ?? Path.Combine("artifacts", "runs");

        public override ValidationResult Validate() =>
            Tier is not ("process" or "docker" or "kind" or "existing") ? ValidationResult.Error($"unknown tier '{Tier}': use process, docker, kind or existing")
            : Parallel < 1 ? ValidationResult.Error("--parallel must be at least 1")
            : Repeat < 1 ? ValidationResult.Error("--repeat must be at least 1")
            : Tier == "existing" && string.IsNullOrEmpty(HubUrl) ? ValidationResult.Error("--tier existing needs --hub-url URL (or KR_HUB_URL) and KR_HUB_TOKEN")
            : Checks?.Split(',').FirstOrDefault(c => !CheckSelection.All.Contains(c)) is { } bad ? ValidationResult.Error($"unknown check '{bad}': use {string.Join(", ", CheckSelection.All)}")
            : AliveWindow <= 0 ? ValidationResult.Error("--alive-window must be positive")
            : ValidationResult.Success();
    }

    public override async Task<int> ExecuteAsync(CommandContext context, Settings settings, CancellationToken cancellationToken)
    {
        var ct = cancellationToken; // cancelled by Ctrl-C, SIGTERM or SIGHUP (Program.cs)
        var sw = Stopwatch.StartNew();
        await using var run = Run.Start();
        var checks = settings.Checks?.Split(',') ?? (settings.Tier == "existing" ? CheckSelection.NonDestructive : CheckSelection.All);
        var selection = new CheckSelection(checks.ToHashSet(), TimeSpan.FromSeconds(settings.AliveWindow));
        try
        {
            if (settings.Tier == "docker")
            {
                return await RunDockerAsync(settings, run, selection, sw, ct);
            }
            if (settings.Tier == "kind")
            {
                return await RunKindAsync(settings, run, selection, sw, ct);
            }
            await using var deployment = await StartAsync(settings, run, ct);
            var cellId = $"{deployment.Tier}/hub-{deployment.HubVersion}/kernel-python3";
            AnsiConsole.MarkupLineInterpolated($"[grey]run {run.Id}:[/] JupyterHub {deployment.HubVersion} at {deployment.HubUrl} ({deployment.Tier}); checks: {string.Join(", ", checks)}");
            var tally = new RepeatTally();
            CellReport last = null!;
            for (var i = 1; i <= settings.Repeat; i++)
            {
                var result = await AnsiConsole.Status().StartAsync($"running {cellId} ({i}/{settings.Repeat})", _ => CellRunner.RunAsync(cellId, deployment, selection, ct));
                last = new CellReport(result, false, null);
                tally.Add([last]);
                if (settings.Repeat > 1)
                {
                    AnsiConsole.MarkupLineInterpolated($"  run {i}/{settings.Repeat}: {last.Outcome} [grey]{last.Result.Cause}[/]");
                }
            }
            return Finish(settings, run, deployment.Tier, [last], sw.Elapsed, tally);
        }
        catch (HarnessException e)
        {
            return BadInput.Report(e);
        }
    }

    private static int Finish(Settings settings, Run run, string tier, IReadOnlyList<CellReport> reports, TimeSpan elapsed, RepeatTally? tally = null)
    {
        var folder = Path.GetFullPath(Path.Combine(settings.Output, run.Id));
        RunReport.Write(folder, run.Id, tier, reports, elapsed);
        Print(reports);
        AnsiConsole.MarkupLineInterpolated($"{RunReport.Summary(reports)}. Report: [link]{Path.Combine(folder, "report.html")}[/] and report.md");
        if (tally is { Iterations: > 1 })
        {
            File.WriteAllText(Path.Combine(folder, "repeat.md"), tally.Markdown());
            foreach (var c in tally.Cells)
            {
                AnsiConsole.MarkupLineInterpolated($"  {c.Verdict,-6} {c.Met}/{c.Runs}  {c.CellId}");
            }
            AnsiConsole.MarkupLineInterpolated($"repeat: {tally.Cells.Count(c => c.Verdict == "stable")} stable, {tally.Cells.Count(c => c.Verdict == "flaky")} flaky, {tally.Cells.Count(c => c.Verdict == "failed")} failed over {tally.Iterations} runs; {Path.Combine(folder, "repeat.md")}");
            return tally.AllStable ? 0 : 1;
        }
        return reports.All(r => r.MetExpectation) ? 0 : 1;
    }

    private static async Task<int> RunDockerAsync(Settings settings, Run run, CheckSelection selection, Stopwatch sw, CancellationToken ct)
    {
        var matrix = MatrixFile.Load(settings.Matrix);
        var cells = MatrixFile.Narrow(matrix.DefaultCells().Where(c => c.Tier == "docker").ToList(), settings.Cells);
        if (cells.Count == 0)
        {
            throw new HarnessException($"no docker cell of {matrix.Path} matches '{settings.Cells}'",
                "list the cells with `kr cells`, and use globs on their ids, e.g. 'docker/hub-sid/*'");
        }
        await DockerCli.RequireEngineAsync(ct);
        AnsiConsole.MarkupLineInterpolated($"[grey]run {run.Id}:[/] {cells.Count} docker cells, {settings.Parallel} at a time, {settings.Repeat} run(s); checks: {string.Join(", ", selection.Checks)}");
        var tally = new RepeatTally();
        var reports = new List<CellReport>();
        var images = new ImageStore();
        for (var i = 1; i <= settings.Repeat; i++)
        {
            reports = [];
            await using var matrixRun = new DockerMatrixRun(run, selection, settings.Parallel, images);
            foreach (var (cell, task) in cells.Zip(matrixRun.StartAll(cells)))
            {
                try
                {
                    reports.Add(await task.WaitAsync(ct));
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    // A cell whose image or hub could not be made (or that broke the harness) fails alone, with that cause.
                    var what = e is HarnessException h ? h.What : $"{e.GetType().Name}: {e.Message}";
                    var failed = new CellResult(cell.Id, [CheckOutcome.Fail("kernel-starts", TimeSpan.Zero, what.Split('\n')[0], e.ToString())], [], new Dictionary<string, string>());
                    reports.Add(new CellReport(failed, cell.Expected.ExpectFailure, cell.Expected.Reason));
                }
                var last = reports[^1];
                AnsiConsole.MarkupLineInterpolated($"  {last.Outcome,-17} {cell.Id}  [grey]{last.Result.Cause}[/]");
            }
            tally.Add(reports);
        }
        var records = images.Records;
        AnsiConsole.MarkupLineInterpolated($"[grey]images: {records.Count(r => r.Built)} built in {records.Where(r => r.Built).Sum(r => r.Duration.TotalSeconds):0} s, {records.Count(r => !r.Built)} from cache[/]");
        return Finish(settings, run, "docker", reports, sw.Elapsed, tally);
    }

    /// <summary>Kind cells one after another, a cluster each (KindCells); a cell whose cluster could not be made fails alone.</summary>
    private static async Task<int> RunKindAsync(Settings settings, Run run, CheckSelection selection, Stopwatch sw, CancellationToken ct)
    {
        var matrix = MatrixFile.Load(settings.Matrix);
        var cells = KernelRegression.Kubernetes.KindCells.Selected(matrix, settings.Cells);
        if (cells.Count == 0)
        {
            throw new HarnessException($"no kind cell of {matrix.Path} matches '{settings.Cells}'",
                "list the cells with `kr cells --cells 'kind/*'`, and use globs on their ids, e.g. 'kind/hub-z2jh-4/*'");
        }
        foreach (var program in new[] { "docker", "kind", "helm" })
        {
            // A machine without the tier's programs is bad input (exit 2), not a run of failed cells.
            await KernelRegression.Kubernetes.Prerequisites.ProgramAsync(KernelRegression.Kubernetes.Commands.CliCommandRunner.Instance, program, ct);
        }
        AnsiConsole.MarkupLineInterpolated($"[grey]run {run.Id}:[/] {cells.Count} kind cells, one cluster each; checks: {string.Join(", ", selection.Checks)}");
        var reports = new List<CellReport>();
        foreach (var cell in cells)
        {
            try
            {
                reports.Add(await KernelRegression.Kubernetes.KindCells.RunAsync(cell, run, selection, ct));
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                var what = e is HarnessException h ? h.What : $"{e.GetType().Name}: {e.Message}";
                var failed = new CellResult(cell.Id, [CheckOutcome.Fail("kernel-starts", TimeSpan.Zero, what.Split('\n')[0], e.ToString())], [], new Dictionary<string, string> { ["harness-error"] = what });
                reports.Add(new CellReport(failed, cell.Expected.ExpectFailure, cell.Expected.Reason));
            }
            AnsiConsole.MarkupLineInterpolated($"  {reports[^1].Outcome,-17} {cell.Id}  [grey]{reports[^1].Result.Cause}[/]");
        }
        return Finish(settings, run, "kind", reports, sw.Elapsed);
    }

    private static async Task<IHubDeployment> StartAsync(Settings s, Run run, CancellationToken ct) => s.Tier switch
    {
        "existing" => await ExistingHub.ConnectAsync(new Uri(s.HubUrl!), Environment.GetEnvironmentVariable("KR_HUB_TOKEN") ?? "", run.Id, ct),
        _ => await new ProcessHubBuilder().StartAsync(run, ct),
    };

    private static void Print(IReadOnlyList<CellReport> reports)
    {
        foreach (var r in reports)
        {
            var table = new Table().Title(r.Result.CellId).AddColumns("check", "verdict", "time", "detail / cause");
            foreach (var c in r.Result.Checks)
            {
                var verdict = c.Verdict switch { Verdict.Passed => "[green]passed[/]", Verdict.Skipped => "[grey]skipped[/]", _ => "[red]failed[/]" };
                table.AddRow(new Markup(c.Check), new Markup(verdict), new Markup($"{c.Duration.TotalSeconds:0.0} s"),
                    new Text(Secrets.Redact(c.Cause ?? c.Detail)));
            }
            AnsiConsole.Write(table);
        }
    }
}
