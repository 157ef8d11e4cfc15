using KernelRegression;
using KernelRegression.Bisect;
using KernelRegression.Checks;
using KernelRegression.Judging;
using KernelRegression.Matrix;
using KernelRegression.Reports;
using KernelRegression.Runs;
using KernelRegression.Tiers.Docker;
using KernelRegression.Host;
using KernelRegression.Docker;

namespace KernelRegression.Cli;

/// <summary>kr bisect AXIS VALUES…: the first bad value along one axis, in log2 steps, on the docker tier.</summary>
public sealed class BisectCommand : AsyncCommand<BisectCommand.Arguments>
{
    public sealed class Arguments : RepositorySettings
    {
        [CommandArgument(0, "<AXIS>")]
        [Description("what varies: image (matrix names or name:tag refs), hub (matrix names), profile (names, YAML paths or a folder of them), commits (of --repo, its --values files)")]
        public string Axis { get; init; } = "";

        [CommandArgument(1, "[VALUES]")]
        [Description("the values in order, known-good first (not for commits: --good and --bad name the revisions)")]
        public string[] AxisValues { get; init; } = [];

        [CommandOption("--good <VALUE>")]
        [Description("the known-good end (default: the first value); it must pass")]
        public string? Good { get; init; }

        [CommandOption("--bad <VALUE>")]
        [Description("the known-bad end (default: the last value); it must fail")]
        public string? Bad { get; init; }

        [CommandOption("--profile <NAME|FILE>")]
        [Description("the launch profile when the axis is image or hub (default: default)")]
        public string Profile { get; init; } = "default";

        public override ValidationResult Validate() => Refused(() => BisectRequest.ParseAxis(Axis)) ?? base.Validate();

        /// <summary>The checks each step runs: a short pair by default, since every step is a cell run.</summary>
        public IReadOnlyList<ICheck> StepChecks() => CheckList() ?? CheckCatalog.Resolve(["kernel-starts", "stays-alive"]);

        /// <summary>Both bisects (values and commits) give each step the same stays-alive window.</summary>
        public CheckOptions StepOptions() => new() { AliveWindow = Window(TimeSpan.FromSeconds(5)) };

        public string BisectFolder(string runId) => Folder(runId, BesideRuns("bisect"));
    }

    public override async Task<int> ExecuteAsync(CommandContext context, Arguments settings, CancellationToken cancellationToken)
    {
        var ct = cancellationToken; // cancelled by Ctrl-C, SIGTERM or SIGHUP (Program.cs)
        try
        {
            var matrix = settings.LoadMatrix();
            if (BisectRequest.ParseAxis(settings.Axis) == BisectAxis.Commit)
            {
                return await CommitsAsync(settings, matrix, ct);
            }
            var request = new BisectRequest(BisectRequest.ParseAxis(settings.Axis), settings.AxisValues)
            {
                Good = settings.Good, Bad = settings.Bad, Hub = settings.HubNames()[0], Image = settings.Image ?? "bookworm", Profile = settings.Profile,
            };
            await using var run = Run.Start();
            // Every value is resolved (and a wrong one refused) before anything is started.
            var (candidates, good, bad) = await BisectCandidates.ResolveAsync(matrix, request, run.Folder("bisect"), ct);
            await DockerEngine.RequireAsync(ct);
            var folder = settings.BisectFolder(run.Id);
            RunLog.Open(folder);
            var checks = settings.StepChecks();
            var options = settings.StepOptions();
            AnsiConsole.MarkupLineInterpolated(
                $"[grey]bisect {run.Id}:[/] {candidates.Count} {settings.Axis} values, good [green]{candidates[good].Label}[/], bad [red]{candidates[bad].Label}[/]; ends first, then at most {Bisection.MaxSearchSteps(good, bad)} search steps; checks {Names(checks)} ({options.AliveWindow.TotalSeconds:0.#} s window); log {RunLog.FilePath}");
            await using var docker = new DockerTier(run);
            var result = await LiveProgress.RunAsync("the ends first", progress =>
                new BisectRunner(docker, checks, options, folder, s => Step(progress, s.Number, s.Kind, s.Candidate.Label, s.Verdict, s.Duration, s.SkipReason ?? s.Cause, s.EvidenceFolder))
                    .RunAsync(request.Axis, candidates, good, bad, ct), ct);
            Print(result, folder);
            return 0;
        }
        catch (ActionableException e)
        {
            return BadInput.Report(e);
        }
    }

    /// <summary>kr bisect commits: the first commit of a deployment repository whose values break a cell.</summary>
    private static async Task<int> CommitsAsync(Arguments settings, MatrixFile matrix, CancellationToken ct)
    {
        if (string.IsNullOrEmpty(settings.Good) || string.IsNullOrEmpty(settings.Bad) || !settings.HasValues)
        {
            throw new HarnessException("bisect commits needs --good REV, --bad REV and --values PATH (one or more), of --repo DIR (default the current folder)",
                "e.g. kr bisect commits --repo ../deploy --good v1 --bad HEAD --values deploy/common.yaml --values deploy/staging.yaml");
        }
        var git = await Deployments.GitValuesHistory.OpenAsync(settings.Repo, ct);
        var (good, bad) = (await git.CommitAsync(settings.Good, ct), await git.CommitAsync(settings.Bad, ct));
        var commits = await git.CommitsAsync(good.Hash, bad.Hash, ct, includeFrom: true);
        var options = settings.Options(matrix);
        await DockerEngine.RequireAsync(ct);
        await using var run = Run.Start();
        await using var docker = new DockerTier(run);
        var runs = new DeploymentRuns(docker, matrix, settings.HubNames(), settings.StepChecks(), settings.StepOptions(), Settings.Parallel);
        var folder = settings.BisectFolder(run.Id);
        RunLog.Open(folder);
        AnsiConsole.MarkupLineInterpolated(
            $"[grey]bisect {run.Id}:[/] {commits.Count} commits, good [green]{good.Hash[..10]} {good.Subject}[/], bad [red]{bad.Hash[..10]} {bad.Subject}[/]; ends first, then at most {Bisection.MaxSearchSteps(0, commits.Count - 1)} search steps; checks {Names(settings.StepChecks())}");
        var result = await LiveProgress.RunAsync("the ends first", progress =>
            new CommitBisect(runs, git, settings.Values, options, folder, s => Step(progress, s.Number, s.Kind, $"{s.Commit.Hash[..10]} {s.Commit.Subject}", s.Verdict, s.Duration, s.SkipReason ?? s.Cause, null))
                .RunAsync(good.Hash, bad.Hash, ct), ct);
        foreach (var l in BisectReport.WriteCommits(folder, run.Id, result))
        {
            AnsiConsole.WriteLine(Secrets.Redact(l));
        }
        AnsiConsole.MarkupLineInterpolated($"Report: [link]{Path.Combine(folder, "bisect.md")}[/]; each step's report.html under step-*/");
        return 0;
    }

    private static string Names(IEnumerable<ICheck> checks) => string.Join(',', checks.Select(c => c.Name));

    /// <summary>One step's line: what was tried, the judge's verdict in colour, its cause and evidence.</summary>
    private static void Step(LiveProgress progress, int number, ProbeKind kind, string tried, ProbeVerdict verdict, TimeSpan took, string? why, string? evidence)
    {
        var line = $"step {number} ({Kind(kind)}) {tried}: {verdict.Label()} in {took.TotalSeconds:0.0} s  {why}";
        progress.Line($"  step {number} [grey]({Kind(kind)})[/] {Markup.Escape(tried)}: [{verdict.Colour()}]{verdict.Label()}[/] in {took.TotalSeconds:0.0} s  [grey]{Markup.Escape(why ?? "")}[/]"
            + (evidence is null ? "" : $"\n    [grey]evidence: {Markup.Escape(evidence)}[/]"), line);
    }

    private static string Kind(ProbeKind k) => k switch { ProbeKind.GoodEnd => "good end", ProbeKind.BadEnd => "bad end", _ => "search" };

    private static void Print(BisectResult r, string folder)
    {
        AnsiConsole.MarkupLineInterpolated($"[bold]first bad:[/] [red]{r.Culprit.Label}[/] (last good: [green]{r.LastGood.Label}[/])");
        if (r.Trace.Ambiguous)
        {
            AnsiConsole.MarkupLineInterpolated($"  [yellow]ambiguous:[/] skipped steps lie between them; the first bad is one of: {string.Join(", ", r.Trace.Skipped.Where(i => i > r.Trace.LastGood && i < r.Trace.FirstBad).Select(i => r.Candidates[i].Label).Append(r.Culprit.Label))}");
        }
        AnsiConsole.MarkupLineInterpolated($"  cause: {r.CulpritStep.Cause ?? "?"}");
        AnsiConsole.MarkupLineInterpolated($"  {r.Trace.SearchSteps} search steps after the 2 end checks, {r.Elapsed.TotalSeconds:0} s in all");
        AnsiConsole.MarkupLine("  what changed:");
        foreach (var d in r.Diff.DefaultIfEmpty("(no field differs)"))
        {
            AnsiConsole.MarkupLineInterpolated($"    {d}");
        }
        AnsiConsole.MarkupLineInterpolated($"Report: [link]{Path.Combine(folder, "bisect.md")}[/]");
    }
}
