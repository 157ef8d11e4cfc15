using KernelRegression.Checks;
using KernelRegression.Deployments;
using KernelRegression.Reports;
using KernelRegression.Judging;
using KernelRegression.Runs;
using KernelRegression.Tiers.Docker;
using KernelRegression.Host;
using KernelRegression.Docker;

namespace KernelRegression.Cli;

/// <summary>kr check-change: before a deployment change merges, do students' kernels still work at its head where they work at its base?</summary>
public sealed class CheckChangeCommand : AsyncCommand<CheckChangeCommand.Arguments>
{
    public sealed class Arguments : RepositorySettings
    {
        [CommandOption("--base <REV>")]
        [Description("the revision the change starts from (a pull request's base)")]
        public string? Base { get; init; }

        [CommandOption("--head <REV>")]
        [Description("the revision with the change (default HEAD)")]
        public string Head { get; init; } = "HEAD";

        public override ValidationResult Validate() =>
            string.IsNullOrEmpty(Base) ? ValidationResult.Error("--base REV is required (the revision the change starts from)")
            : !HasValues ? ValidationResult.Error("--values PATH is required (the values files, as paths inside the repository)")
            : base.Validate();
    }

    public override async Task<int> ExecuteAsync(CommandContext context, Arguments settings, CancellationToken cancellationToken)
    {
        var ct = cancellationToken;
        try
        {
            var matrix = settings.LoadMatrix();
            var git = await GitValuesHistory.OpenAsync(settings.Repo, ct);
            var (baseCommit, headCommit) = (await git.CommitAsync(settings.Base!, ct), await git.CommitAsync(settings.Head, ct));
            // Both sides are read (and a bad value refused) before anything starts.
            var before = await git.LoadAsync(baseCommit.Hash, settings.Values, settings.Options(matrix, "values-base"), ct);
            var after = await git.LoadAsync(headCommit.Hash, settings.Values, settings.Options(matrix, "values-head"), ct);
            await DockerEngine.RequireAsync(ct);
            await using var run = Run.Start();
            await using var docker = new DockerTier(run);
            var checks = settings.CheckList() ?? CheckCatalog.Resolve(matrix.Document.Checks);
            var runs = new DeploymentRuns(docker, matrix, settings.HubNames(), checks, new CheckOptions { AliveWindow = settings.Window(Settings.AliveWindow) }, Settings.Parallel);
            var folder = settings.Folder(run.Id);
            RunLog.Open(folder);
            AnsiConsole.MarkupLineInterpolated($"[grey]check-change {run.Id}:[/] base {baseCommit.Hash[..10]} {baseCommit.Subject}, head {headCommit.Hash[..10]} {headCommit.Subject}; {before.Cells.Count} + {after.Cells.Count} cells on hub(s) {string.Join(", ", settings.HubNames())}; log {RunLog.FilePath}");
            var change = await LiveProgress.RunAsync($"base {baseCommit.Hash[..10]}", async progress =>
            {
                var baseRun = await runs.RunAsync(before, Path.Combine(folder, "base"), line => progress.Step($"  base: {line}"), ct);
                var headRun = await runs.RunAsync(after, Path.Combine(folder, "head"), line => progress.Step($"  head: {line}"), ct);
                return ChangeCheck.Of(baseRun, headRun);
            }, ct);
            ChangeReport.Write(folder, change, baseCommit, headCommit);
            foreach (var c in change.Cells)
            {
                // Not interpolated: a hole's markup would be escaped and printed as text.
                AnsiConsole.MarkupLine($"  {Mark(c.Verdict)} {Markup.Escape(Secrets.Redact(c.ToString()))}");
            }
            AnsiConsole.MarkupLineInterpolated($"Reports: {Path.Combine(folder, "report.md")} (base/ and head/ hold each side's report.html)");
            var verdict = change.Judgement;
            AnsiConsole.MarkupLineInterpolated($"{verdict.Why}; exit {verdict.ExitCode}");
            return verdict.ExitCode;
        }
        catch (ActionableException e)
        {
            return BadInput.Report(e);
        }
    }

    private static string Mark(ChangeVerdict v) => v switch
    {
        ChangeVerdict.Worse => "[red]worse[/]     ",
        ChangeVerdict.NoVerdict => "[red]no verdict[/]",
        _ => "[green]ok[/]        ",
    };
}
