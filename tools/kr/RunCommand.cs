using System.ComponentModel;
using System.Diagnostics;
using KernelRegression.Fixtures;
using KernelRegression.Fixtures.Checks;
using KernelRegression.Fixtures.Evidence;
using KernelRegression.Fixtures.Runs;
using KernelRegression.Fixtures.Tiers;
using KernelRegression.Fixtures.Tiers.Existing;
using KernelRegression.Fixtures.Tiers.Process;
using Spectre.Console;
using Spectre.Console.Cli;

namespace KernelRegression.Cli;

/// <summary>kr run: the README's main command.</summary>
public sealed class RunCommand : AsyncCommand<RunCommand.Settings>
{
    public sealed class Settings : CommandSettings
    {
        [CommandOption("--tier <TIER>")]
        [Description("process (default: JupyterHub as local processes) or existing (any hub: --hub-url and KR_HUB_TOKEN)")]
        public string Tier { get; init; } = Environment.GetEnvironmentVariable("KR_TIER") ?? "process";

        [CommandOption("--hub-url <URL>")]
        [Description("the hub's public URL, for --tier existing (or KR_HUB_URL)")]
        public string? HubUrl { get; init; } = Environment.GetEnvironmentVariable("KR_HUB_URL");

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
            Tier is not ("process" or "existing") ? ValidationResult.Error($"unknown tier '{Tier}': use process or existing")
            : Tier == "existing" && string.IsNullOrEmpty(HubUrl) ? ValidationResult.Error("--tier existing needs --hub-url URL (or KR_HUB_URL) and KR_HUB_TOKEN")
            : Checks?.Split(',').FirstOrDefault(c => !CheckSelection.All.Contains(c)) is { } bad ? ValidationResult.Error($"unknown check '{bad}': use {string.Join(", ", CheckSelection.All)}")
            : AliveWindow <= 0 ? ValidationResult.Error("--alive-window must be positive")
            : ValidationResult.Success();
    }

    public override async Task<int> ExecuteAsync(CommandContext context, Settings settings, CancellationToken cancellationToken)
    {
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        Console.CancelKeyPress += (_, e) => { e.Cancel = true; cts.Cancel(); };
        var ct = cts.Token;
        var sw = Stopwatch.StartNew();
        await using var run = Run.Start();
        var checks = settings.Checks?.Split(',') ?? (settings.Tier == "existing" ? CheckSelection.NonDestructive : CheckSelection.All);
        var selection = new CheckSelection(checks.ToHashSet(), TimeSpan.FromSeconds(settings.AliveWindow));
        try
        {
            await using var deployment = await StartAsync(settings, run, ct);
            var cellId = $"{deployment.Tier}/hub-{deployment.HubVersion}/kernel-python3";
            AnsiConsole.MarkupLineInterpolated($"[grey]run {run.Id}:[/] JupyterHub {deployment.HubVersion} at {deployment.HubUrl} ({deployment.Tier}); checks: {string.Join(", ", checks)}");
            var result = await AnsiConsole.Status().StartAsync($"running {cellId}", _ => CellRunner.RunAsync(cellId, deployment, selection, ct));
            var reports = new List<CellReport> { new(result, false, null) };
            var folder = Path.GetFullPath(Path.Combine(settings.Output, run.Id));
            RunReport.Write(folder, run.Id, deployment.Tier, reports, sw.Elapsed);
            Print(reports);
            AnsiConsole.MarkupLineInterpolated($"{RunReport.Summary(reports)}. Report: [link]{Path.Combine(folder, "report.md")}[/]");
            return reports.All(r => r.MetExpectation) ? 0 : 1;
        }
        catch (HarnessException e)
        {
            AnsiConsole.MarkupLineInterpolated($"[red]error:[/] {Secrets.Redact(e.What)}");
            AnsiConsole.MarkupLineInterpolated($"[yellow]what to do:[/] {e.Fix}");
            return 2;
        }
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
