using KernelRegression.Checks;
using KernelRegression.Reports;
using KernelRegression.Judging;
using KernelRegression.Latency;
using KernelRegression.Matrix;
using KernelRegression.Runs;
using KernelRegression.Tiers;
using KernelRegression.Tiers.Docker;
using KernelRegression.Tiers.Existing;
using KernelRegression.Tiers.Process;
using KernelRegression.Host;
using KernelRegression.Docker;

namespace KernelRegression.Cli;

/// <summary>kr run: the README's main command.</summary>
public sealed class RunCommand : AsyncCommand<RunCommand.Arguments>
{
    public sealed class Arguments : CellRunSettings
    {
        [CommandOption("--tier <TIER>")]
        [Description("process (default: JupyterHub as local processes), docker (the matrix's docker cells), kind (the matrix's kind cells, a cluster each: needs docker, kind, helm) or existing (any hub: --hub-url and KR_HUB_TOKEN)")]
        public string Tier { get; init; } = Settings.Tier;

        [CommandOption("--hub-url <URL>")]
        [Description("the hub's public URL, for --tier existing (or KR_HUB_URL)")]
        public string? HubUrl { get; init; } = Settings.HubUrl;

        [CommandOption("--cells <GLOBS>")]
        [Description("comma-separated globs on cell ids, e.g. 'docker/hub-sid/*' (or KR_CELLS; default: the matrix's default selection for the tier)")]
        public string? Cells { get; init; } = Settings.Cells;

        [CommandOption("--parallel <N>")]
        [Description("cells run at once (or KR_PARALLEL; default 3)")]
        public int Parallel { get; init; } = Settings.Parallel;

        [CommandOption("--repeat <N>")]
        [Description("run the cells N times and report, per cell, how many runs met the expected outcome; a cell that met it only sometimes is flaky (or KR_REPEAT; default 1)")]
        public int Repeat { get; init; } = Settings.Repeat;

        [CommandOption("--browser")]
        [Description("add the browser check (a student logs in and runs a cell in a real Chromium) to every cell")]
        public bool Browser { get; init; }

        [CommandOption("--user <NAME>")]
        [Description("with --tier existing --browser: the hub user the browser logs in as (a test account: its server is started and used)")]
        public string? User { get; init; }

        [CommandOption("--password-file <FILE>")]
        [Description("with --user: a file holding that user's password (read once, never printed)")]
        public string? PasswordFile { get; init; }

        [CommandOption("--budget <STEP=SECONDS>")]
        [Description("a step's budget for every cell, over the matrix's `budgets:` (repeatable; steps: spawn, kernel-start, channels-open, first-execute, execute-p95, interrupt, restart, server-stop; scaled by KR_TIMEOUT_SCALE)")]
        public string[] Budget { get; init; } = [];

        [CommandOption("--history <DIR>")]
        [Description("the step history each run is compared with and appended to (or KR_HISTORY; default artifacts/history)")]
        public string History { get; init; } = Settings.History;

        [CommandOption("--shard <I/N>")]
        [Description("run only part I of N of the cells, for a CI matrix of N jobs: the cells' ids sorted and dealt out in turn, so the same cells make the same parts on any machine and the N parts are every cell once (e.g. --shard 2/3)")]
        public string? Shard { get; init; }

        [CommandOption("--strict-latency")]
        [Description("a step slower than usual (the matrix's budgets.baseline: 3x its cell's recent median and 2 s slower) fails the run")]
        public bool StrictLatency { get; init; }

        public override ValidationResult Validate() =>
            !TierName.All.Any(t => t.Name == Tier) ? ValidationResult.Error($"unknown tier '{Tier}': use {string.Join(", ", TierName.All)}")
            : Parallel < 1 ? ValidationResult.Error("--parallel must be at least 1")
            : Repeat < 1 ? ValidationResult.Error("--repeat must be at least 1")
            : Tier == TierName.Existing && string.IsNullOrEmpty(HubUrl) ? ValidationResult.Error("--tier existing needs --hub-url URL (or KR_HUB_URL) and KR_HUB_TOKEN")
            : HasValues && Tier != TierName.Docker && Tier != TierName.Process ? ValidationResult.Error("--values runs its cells on the docker tier: leave out --tier or use --tier docker")
            : (User is null) != (PasswordFile is null) ? ValidationResult.Error("--user and --password-file go together: the browser logs in as that user with the password in that file")
            : User is not null && Tier != "existing" ? ValidationResult.Error("--user is for --tier existing: on the other tiers the harness makes its own students")
            : PasswordFile is not null && !File.Exists(PasswordFile) ? ValidationResult.Error($"--password-file {PasswordFile} does not exist: write the user's password into it (one line)")
            : Shard is not null && Refused(() => CellShard.Parse(Shard)) is { } refused ? refused
            : base.Validate();

        /// <summary>The given login, the password read from its file (trailing newline dropped).</summary>
        public (string User, string Password)? Login()
        {
            if (User is null || PasswordFile is null)
            {
                return null;
            }
            var password = File.ReadAllText(PasswordFile).TrimEnd('\r', '\n');
            return password.Length == 0
                ? throw new HarnessException($"--password-file {PasswordFile} is empty", "write the user's password into it (one line)")
                : (User, password);
        }
    }

    public override async Task<int> ExecuteAsync(CommandContext context, Arguments settings, CancellationToken cancellationToken)
    {
        var ct = cancellationToken; // cancelled by Ctrl-C, SIGTERM or SIGHUP (Program.cs)
        try
        {
            var cells = Cells(settings);
            if (settings.Tier == TierName.Docker || settings.HasValues)
            {
                await DockerEngine.RequireAsync(ct);
            }
            await using var run = Run.Start();
            var folder = settings.Folder(run.Id);
            RunLog.Open(folder);
            await using var tier = settings.HasValues ? new DockerTier(run) : Tier(settings, run);
            var options = new CheckOptions { AliveWindow = settings.Window(Settings.AliveWindow), BrowserLogin = settings.Login() };
            var shard = settings.Shard is null ? "" : $" (shard {settings.Shard})";
            AnsiConsole.MarkupLine($"[grey]run {run.Id}:[/] {cells.Count} {tier.Name} cell(s){shard}, {settings.Parallel} at a time, {settings.Repeat} run(s); log {Markup.Escape(RunLog.FilePath ?? "")}");
            var history = new HistoryRecorder(new StepHistory(settings.History), settings.LoadMatrix().Document.Budgets.Baseline, run.Id);
            var tally = new RepeatTally();
            var iterations = new List<IReadOnlyList<CellReport>>();
            var clock = System.Diagnostics.Stopwatch.StartNew();
            var reports = await LiveProgress.RunAsync($"{cells.Count} {tier.Name} cell(s)", async progress =>
            {
                IReadOnlyList<CellReport> last = [];
                for (var i = 1; i <= settings.Repeat; i++)
                {
                    // A kind cell is a cluster of its own: one at a time.
                    await using var matrixRun = new MatrixRun(tier, cells, options, tier.Name == "kind" ? 1 : settings.Parallel, line => progress.Step($"  {line}"));
                    await PrepareAsync(matrixRun, progress, ct);
                    var done = new List<CellReport>();
                    foreach (var (cell, task) in cells.Zip(matrixRun.StartAll()))
                    {
                        progress.Status($"{done.Count} of {cells.Count} cell(s) done; waiting for {cell.Id}");
                        var report = await task.WaitAsync(ct);
                        done.Add(report);
                        var cause = report.OneLineCause is { } c ? CauseText.Clipped(Secrets.Redact(c), report.Expected.CauseContains, 200) : "";
                        progress.Line($"  {Mark(report.Outcome)} {Markup.Escape(report.Result.CellId)}  [grey]{Markup.Escape(cause)}[/]", $"{report.Outcome.Label()} {report.Result.CellId} {cause}");
                    }
                    last = [.. history.Observe(done, i, line => progress.Line($"  [yellow]▲ {Markup.Escape(line)}[/]", line))];
                    tally.Add(last);
                    iterations.Add(last);
                    if (settings.Repeat > 1)
                    {
                        progress.Line($"[grey]run {i}/{settings.Repeat}: {Markup.Escape(RunReport.Summary(last))}[/]", $"run {i}/{settings.Repeat}: {RunReport.Summary(last)}");
                    }
                }
                return last;
            }, ct);
            var notApplied = reports.SelectMany(r => r.Result.Evidence.NotApplied).GroupBy(n => n.ToString()).ToList();
            foreach (var n in notApplied)
            {
                AnsiConsole.MarkupLineInterpolated($"[yellow]not applied on {tier.Name}:[/] {n.Key} [grey]({n.Count()} cell(s))[/]");
            }
            if (tier is DockerTier docker)
            {
                var records = docker.Images.Records;
                AnsiConsole.MarkupLineInterpolated($"[grey]images: {records.Count(r => r.Built)} built in {records.Where(r => r.Built).Sum(r => r.Duration.TotalSeconds):0} s, {records.Count(r => !r.Built)} from cache[/]");
            }
            return Finish(settings, run, tier, iterations, clock.Elapsed, tally, history);
        }
        catch (ActionableException e)
        {
            return BadInput.Report(e);
        }
    }

    /// <summary>The build phase, with its own line: a cold machine spends most of a first run here.</summary>
    private static async Task PrepareAsync(MatrixRun run, LiveProgress progress, CancellationToken ct)
    {
        var started = progress.Elapsed;
        try
        {
            await run.PrepareAsync().WaitAsync(ct);
        }
        catch (ActionableException e) when (e is not (MissingPrerequisiteException or HubAuthException or HubUnreachableException))
        {
            // Each cell meets this as its harness error, with this cause; the run goes on to report them.
            progress.Line($"[red]build phase failed:[/] {Markup.Escape(e.What.Split('\n')[0])}", $"build phase failed: {e.What}");
            return;
        }
        var took = progress.Elapsed - started;
        if (took > TimeSpan.FromSeconds(1))
        {
            progress.Line($"[grey]build phase: {took.TotalSeconds:0} s[/]", $"build phase: {took.TotalSeconds:0} s");
        }
    }

    /// <summary>The cells to run: the matrix's default selection for the tier, narrowed, with the checks asked for.</summary>
    private static IReadOnlyList<MatrixCell> Cells(Arguments settings)
    {
        var matrix = settings.LoadMatrix();
        IReadOnlyList<MatrixCell> cells = settings.HasValues ? ValuesCells(settings, matrix)
            : settings.Tier == TierName.Existing ? [ExistingCell(matrix)]
            : matrix.DefaultCells().Where(c => c.Tier == settings.Tier).ToList();
        cells = MatrixFile.Narrow(cells, settings.Cells);
        var budgets = StepBudgets.ParseCommandLine(settings.Budget);
        cells = [.. cells.Select(c => c with { Budgets = matrix.Document.Budgets.For(c).With(budgets, "command line") })];
        if (cells.Count == 0)
        {
            throw new HarnessException($"no {settings.Tier} cell of {matrix.Path} matches '{settings.Cells}'",
                "list the cells with `kr cells`, and use globs on their ids, e.g. 'docker/hub-sid/*'");
        }
        if (settings.Shard is not null)
        {
            var shard = CellShard.Parse(settings.Shard);
            var selected = cells.Count;
            cells = shard.Of(cells);
            if (cells.Count == 0)
            {
                throw new HarnessException($"shard {shard} holds none of the {selected} cell(s) selected", $"use at most {selected} shards for these cells");
            }
        }
        if (settings.CheckList() is { } checks)
        {
            cells = [.. cells.Select(c => c with { Checks = [.. checks.Select(k => k.Name)] })];
        }
        if (settings.Browser)
        {
            cells = [.. cells.Select(c => c.Checks.Contains("browser") ? c : c with { Checks = [.. c.Checks, "browser"] })];
        }
        return cells;
    }

    /// <summary>The operator's values as cells: one per profile (and option), on each --hub; what cannot apply is said now and in the reports.</summary>
    private static IReadOnlyList<MatrixCell> ValuesCells(Arguments settings, MatrixFile matrix)
    {
        var values = Deployments.DeploymentValues.Load(settings.Values, settings.Options(matrix));
        AnsiConsole.MarkupLineInterpolated($"[grey]values {string.Join(" + ", values.Files)} (z2jh section {(values.SectionKey.Length == 0 ? "at the top" : values.SectionKey)}): {values.Cells.Count} cell(s)[/]");
        foreach (var note in values.Notes)
        {
            AnsiConsole.MarkupLineInterpolated($"[yellow]  {note}[/]");
        }
        foreach (var refusal in values.Refusals)
        {
            AnsiConsole.MarkupLineInterpolated($"[red]  not run, KubeSpawner refuses it: {refusal}[/]");
        }
        return Deployments.ValuesMatrix.Cells(values, matrix, settings.HubNames());
    }

    /// <summary>An existing hub is one cell, launched the hub's own way; only checks a live hub's users would not notice, unless asked.</summary>
    private static MatrixCell ExistingCell(MatrixFile matrix) =>
        new MatrixCell(TierName.Existing, new HubSpec("existing", ""), new ImageSpec("hub-default", null, "default", "none", "none", null), "hub-default", "healthy", Expectation.Pass)
        {
            Checks = [.. CheckCatalog.NonDestructive(CheckCatalog.Resolve(matrix.Document.Checks)).Select(c => c.Name)],
        };

    private static ITier Tier(Arguments s, Run run) => TierName.Of(s.Tier, "--tier") switch
    {
        var t when t == TierName.Docker => new DockerTier(run),
        var t when t == TierName.Existing => new ExistingTier(new Uri(s.HubUrl!), Settings.HubToken, run.Id),
        var t when t == TierName.Kind => new KernelRegression.Kubernetes.KindTier(run, line => AnsiConsole.MarkupLineInterpolated($"[grey]  {line}[/]")),
        _ => new ProcessTier(run),
    };

    private static int Finish(Arguments settings, Run run, ITier tier, IReadOnlyList<IReadOnlyList<CellReport>> iterations, TimeSpan elapsed, RepeatTally tally, HistoryRecorder history)
    {
        var reports = iterations[^1];
        var folder = settings.Folder(run.Id);
        RunReport.Write(folder, run.Id, tier.Name, reports, elapsed, tier.Capabilities);
        Print(reports);
        AnsiConsole.MarkupLineInterpolated($"{RunReport.Summary(reports)}. Report: [link]{Path.Combine(folder, "report.html")}[/] and report.md; log {RunLog.FilePath}");
        if (tally.Iterations > 1)
        {
            tally.Write(folder);
            foreach (var c in tally.Cells)
            {
                AnsiConsole.MarkupLineInterpolated($"  {c.Verdict,-6} {c.Met}/{c.Runs}  {c.CellId}");
            }
            AnsiConsole.MarkupLineInterpolated($"repeat: {tally.Cells.Count(c => c.Verdict == "stable")} stable, {tally.Cells.Count(c => c.Verdict == "flaky")} flaky, {tally.Cells.Count(c => c.Verdict == "failed")} failed over {tally.Iterations} runs; {Path.Combine(folder, "repeat.md")}");
        }
        if (history.Flags.Count > 0)
        {
            AnsiConsole.MarkupLineInterpolated($"[yellow]{history.Flags.Count} step(s) slower than usual[/] (history: {history.History.FilePath}){(settings.StrictLatency ? "; --strict-latency: the run fails" : "")}");
        }
        // The judge decides what the run means, over every iteration.
        var verdict = Judge.Run(iterations, settings.StrictLatency, history.Flags.Count);
        AnsiConsole.MarkupLineInterpolated($"[{(verdict.ExitCode == 0 ? "green" : "red")}]{verdict.Why}[/]; exit {verdict.ExitCode}");
        return verdict.ExitCode;
    }

    private static string Mark(Outcome o) => $"[{o.Colour()}]{o.Label(),-18}[/]";

    private static void Print(IReadOnlyList<CellReport> reports)
    {
        foreach (var r in reports.Where(r => !r.MetExpectation || r.Judgement.Failures.Count > 0 || reports.Count == 1))
        {
            var table = new Table().Title($"{r.Result.CellId}: {r.Outcome.Label()}").AddColumns("check", "verdict", "time", "detail / cause");
            // Each check as the judge saw it: a passed check over its budget is failed here.
            foreach (var c in r.Judgement.Checks)
            {
                var colour = c.Passed ? "green" : c.Ran ? "red" : "grey";
                table.AddRow(new Markup(c.Check), new Markup($"[{colour}]{c.VerdictLabel}[/]"), new Markup($"{c.Duration.TotalSeconds:0.0} s"),
                    new Text(Secrets.Redact(c.Cause ?? c.Detail)));
            }
            AnsiConsole.Write(table);
            if (!r.MetExpectation && r.Judgement.Why != r.OneLineCause)
            {
                AnsiConsole.MarkupLineInterpolated($"  [red]{r.Judgement.Why}[/]");
            }
            if (r.Result.Evidence.NotApplied.Count > 0)
            {
                AnsiConsole.MarkupLineInterpolated($"  [yellow]not applied on {r.Result.Cell.Tier}:[/] {string.Join("; ", r.Result.Evidence.NotApplied)}");
            }
        }
    }
}
