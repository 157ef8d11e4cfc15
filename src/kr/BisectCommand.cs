using System.ComponentModel;
using KernelRegression;
using KernelRegression.Bisect;
using KernelRegression.Checks;
using KernelRegression.Evidence;
using KernelRegression.Logs;
using KernelRegression.Matrix;
using KernelRegression.Runs;
using KernelRegression.Tiers.Docker;
using Spectre.Console;
using Spectre.Console.Cli;

namespace KernelRegression.Cli;

/// <summary>kr bisect AXIS VALUES…: the first bad value along one axis, in log2 steps, on the docker tier.</summary>
public sealed class BisectCommand : AsyncCommand<BisectCommand.Settings>
{
    public sealed class Settings : CommandSettings
    {
        [CommandArgument(0, "<AXIS>")]
        [Description("what varies: image (matrix names or name:tag refs), hub (matrix names), profile (names, YAML paths or a folder of them), commit (of --git-repo)")]
        public string Axis { get; init; } = "";

        [CommandArgument(1, "[VALUES]")]
        [Description("the values in order, known-good first; for commit: commits or one range OLD..NEW")]
        public string[] Values { get; init; } = [];

        [CommandOption("--good <VALUE>")]
        [Description("the known-good end (default: the first value); it must pass")]
        public string? Good { get; init; }

        [CommandOption("--bad <VALUE>")]
        [Description("the known-bad end (default: the last value); it must fail")]
        public string? Bad { get; init; }

        [CommandOption("--hub <NAME>")]
        [Description("the hub when the axis is not hub (default trixie)")]
        public string Hub { get; init; } = "trixie";

        [CommandOption("--image <NAME>")]
        [Description("the single-user image when the axis is not image (default bookworm)")]
        public string Image { get; init; } = "bookworm";

        [CommandOption("--profile <NAME|FILE>")]
        [Description("the launch profile when the axis is image or hub (default: default)")]
        public string Profile { get; init; } = "default";

        [CommandOption("--git-repo <DIR>")]
        [Description("commit axis: the deployment repository")]
        public string? GitRepo { get; init; }

        [CommandOption("--profile-path <PATH>")]
        [Description("commit axis: the launch profile's path inside the repository (read with git show COMMIT:PATH)")]
        public string? ProfilePath { get; init; }

        [CommandOption("--checks <LIST>")]
        [Description("checks run at each step (default kernel-starts,stays-alive)")]
        public string Checks { get; init; } = "kernel-starts,stays-alive";

        [CommandOption("--alive-window <SECONDS>")]
        [Description("the stays-alive window at each step (default 5)")]
        public double AliveWindow { get; init; } = 5;

        [CommandOption("--matrix <FILE>")]
        [Description("the matrix file declaring hubs and images (or KR_MATRIX; default fixtures/matrix.yaml)")]
        public string? Matrix { get; init; } = KernelRegression.Settings.MatrixFile;

        [CommandOption("--output <DIR>")]
        [Description("where the bisect folder goes (default artifacts/bisect)")]
        public string Output { get; init; } = Path.Combine("artifacts", "bisect");

        public override ValidationResult Validate()
        {
            try
            {
                BisectRequest.ParseAxis(Axis);
            }
            catch (HarnessException e)
            {
                return ValidationResult.Error($"{e.What}: {e.Fix}");
            }
            try
            {
                CheckCatalog.Resolve(Checks.Split(','));
            }
            catch (HarnessException e)
            {
                return ValidationResult.Error($"{e.What}: {e.Fix}");
            }
            return AliveWindow <= 0 ? ValidationResult.Error("--alive-window must be positive") : ValidationResult.Success();
        }
    }

    public override async Task<int> ExecuteAsync(CommandContext context, Settings settings, CancellationToken cancellationToken)
    {
        var ct = cancellationToken; // cancelled by Ctrl-C, SIGTERM or SIGHUP (Program.cs)
        try
        {
            var matrix = MatrixFile.Load(settings.Matrix);
            var request = new BisectRequest(BisectRequest.ParseAxis(settings.Axis), settings.Values)
            {
                Good = settings.Good, Bad = settings.Bad, Hub = settings.Hub, Image = settings.Image, Profile = settings.Profile,
                GitRepo = settings.GitRepo, ProfilePath = settings.ProfilePath,
            };
            await using var run = Run.Start();
            // Every value is resolved (and a wrong one refused) before anything is started.
            var (candidates, good, bad) = await BisectCandidates.ResolveAsync(matrix, request, run.Folder("bisect"), ct);
            await DockerCli.RequireEngineAsync(ct);
            var folder = Path.GetFullPath(Path.Combine(settings.Output, run.Id));
            var checks = CheckCatalog.Resolve(settings.Checks.Split(','));
            var options = new CheckOptions { AliveWindow = TimeSpan.FromSeconds(settings.AliveWindow) };
            AnsiConsole.MarkupLineInterpolated(
                $"[grey]bisect {run.Id}:[/] {candidates.Count} {settings.Axis} values, good [green]{candidates[good].Label}[/], bad [red]{candidates[bad].Label}[/]; ends first, then at most {Bisection.MaxSearchSteps(good, bad)} search steps; checks {settings.Checks} ({settings.AliveWindow:0.#} s window)");
            await using var docker = new DockerTier(run);
            var runner = new BisectRunner(docker, checks, options, folder, s => AnsiConsole.MarkupLineInterpolated(
                $"  step {s.Number} [grey]({Kind(s.Kind)})[/] {s.Candidate.Label}: {Verdict(s.Verdict)} in {s.Duration.TotalSeconds:0.0} s  [grey]{s.SkipReason ?? s.Cause ?? ""}[/]\n    [grey]evidence: {s.EvidenceFolder}[/]"));
            var result = await runner.RunAsync(request.Axis, candidates, good, bad, ct);
            Print(result, folder);
            return 0;
        }
        catch (HarnessException e)
        {
            return BadInput.Report(e);
        }
    }

    private static string Verdict(StepVerdict v) => v switch { StepVerdict.Bad => "[red]bad[/]", StepVerdict.Good => "[green]good[/]", _ => "[yellow]skipped[/]" };

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
