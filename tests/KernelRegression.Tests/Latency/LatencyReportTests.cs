using KernelRegression.Diagnosis;

namespace KernelRegression.Tests.Latency;

public sealed class LatencyReportTests
{
    private const string Slow = "docker/hub-trixie/img-bookworm/profile-start-hook/scenario-slow-server-start";
    private const string Drifting = "docker/hub-trixie/img-sid/profile-default";

    private static StepVerdict Verdict(BudgetStep step, double seconds, double budget, string? owner = "kernel-starts") =>
        new(step, TimeSpan.FromSeconds(seconds), 1, new StepBudget(budget, "tier docker"), TimeSpan.FromSeconds(budget), owner);

    private static HistoryEntry Earlier(int run, double kernelStartMs) =>
        new($"run-{run}", DateTimeOffset.UtcNow, Drifting, "passed", new Dictionary<string, double> { ["spawn"] = 20_000, ["kernel-start"] = kernelStartMs });

    private static RunView Run()
    {
        var slow = new CellResult(SyntheticCell.Cell(Slow), [CheckOutcome.Fail("kernel-starts", TimeSpan.FromSeconds(80), "spawn took 104 s (budget 70 s): …")], CellEvidence.Empty)
        {
            Latency = new CellLatency([Verdict(BudgetStep.Spawn, 104, 70), Verdict(BudgetStep.KernelStart, 3, 40)]),
        };
        var drifting = new CellResult(SyntheticCell.Cell(Drifting), [CheckOutcome.Pass("kernel-starts", TimeSpan.FromSeconds(30))], CellEvidence.Empty)
        {
            Latency = new CellLatency([Verdict(BudgetStep.Spawn, 21, 70), Verdict(BudgetStep.KernelStart, 9, 40)])
            {
                SlowerThanUsual = [new SlowerThanUsual(Drifting, BudgetStep.KernelStart, TimeSpan.FromSeconds(9), TimeSpan.FromSeconds(2), 5)],
                Recent = [.. Enumerable.Range(0, 5).Select(i => Earlier(i, 2000 + i * 100))],
            },
        };
        return new RunView("r1", "docker", [new CellReport(slow), new CellReport(drifting)], TimeSpan.FromMinutes(3), new Dictionary<string, CellDiagnosis>(), []);
    }

    [Fact]
    public void TheHtmlShowsEachStepBesideItsBudgetWithTheOverBudgetOnesInRed()
    {
        var html = LatencySection.Html(Run());

        html.Should().Contain("<h2 id=\"step-budgets\">Step budgets</h2>");
        html.Should().Contain($"<tr data-cell-id=\"{Slow}\">");
        html.Should().Contain("<td class=\"failed\" data-step=\"spawn\" style=\"white-space: nowrap\" title=\"budget 70 s (tier docker)\">104 s <span class=\"muted\">/ 70 s</span></td>");
        html.Should().Contain("<td data-step=\"spawn\" style=\"white-space: nowrap\" title=\"budget 70 s (tier docker)\">21 s <span class=\"muted\">/ 70 s</span></td>");
    }

    [Fact]
    public void AStepSlowerThanUsualIsMarkedAndItsCellGetsAChartOfItsRecentRuns()
    {
        var html = LatencySection.Html(Run());

        html.Should().Contain("data-step=\"kernel-start\" style=\"white-space: nowrap\" title=\"budget 40 s (tier docker); kernel ready 9 s: slower than usual (4.5&#215; the median 2 s of the last 5 runs)\">9 s <span class=\"muted\">/ 40 s</span> ▲</td>");
        html.Should().Contain($"<figure data-cell-id=\"{Drifting}\"><svg class=\"step-history\"");
        html.Should().NotContain($"<figure data-cell-id=\"{Slow}\">", "a cell without history has nothing to draw");
        html.Should().NotContainAny("<script", "http://www.w3.org/1999/xlink", "src=\"http");
    }

    [Fact]
    public void TheChartDrawsEveryStepsRunsAgainstTheBudgetLine()
    {
        var svg = HistoryChart.Svg(Run().Cells[1].Result.Latency!);

        svg.Should().StartWith("<svg class=\"step-history\"").And.EndWith("</svg>");
        svg.Split("<polyline").Should().HaveCount(3, "one line per budgeted step (spawn, kernel-start)");
        svg.Split("<circle").Should().HaveCount(1 + 2 * 6, "five earlier runs and this one, per step");
        svg.Should().Contain("<title>kernel ready, this run: 9 s (23% of 40 s)</title>");
        svg.Should().Contain("stroke-dasharray=\"4 3\"><title>budget</title>");
    }

    [Fact]
    public void TheMarkdownListsTheStepsOverBudgetAndTheSlowerThanUsual()
    {
        var md = LatencySection.Markdown(Run());

        md.Should().Contain("## Step budgets");
        md.Should().Contain($"- `{Slow}`: spawn 104 s, over its 70 s budget (check kernel-starts)");
        md.Should().Contain($"- `{Drifting}`: ▲ kernel ready 9 s: slower than usual (4.5× the median 2 s of the last 5 runs)");
    }

    [Fact]
    public void TheJsonReportCarriesEveryStepAgainstItsLimitAndTheFlag()
    {
        using var folder = new TempDir("kr-latency-report-");
        var run = Run();
        RunReport.Write(folder.FullName, "r1", "docker", run.Cells, TimeSpan.FromMinutes(3));

        using var json = System.Text.Json.JsonDocument.Parse(File.ReadAllText(Path.Combine(folder.FullName, "report.json")));
        var steps = json.RootElement.GetProperty("cells")[1].GetProperty("steps").EnumerateArray().ToList();
        steps.Select(s => s.GetProperty("step").GetString()).Should().Equal("spawn", "kernel-start");
        steps[1].GetProperty("ms").GetDouble().Should().Be(9000);
        steps[1].GetProperty("limitMs").GetDouble().Should().Be(40_000);
        steps[1].GetProperty("slowerThanUsual").GetProperty("medianMs").GetDouble().Should().Be(2000);
        steps[0].GetProperty("slowerThanUsual").ValueKind.Should().Be(System.Text.Json.JsonValueKind.Null);
    }

    [Fact]
    public void AQuietRunSaysSoInOneLine()
    {
        var quiet = new CellResult(SyntheticCell.Cell(Drifting), [CheckOutcome.Pass("kernel-starts", TimeSpan.FromSeconds(1))], CellEvidence.Empty)
        {
            Latency = new CellLatency([Verdict(BudgetStep.Spawn, 21, 70)]),
        };

        LatencySection.Markdown(new RunView("r", "docker", [new CellReport(quiet)], TimeSpan.Zero, new Dictionary<string, CellDiagnosis>(), []))
            .Should().Contain("Every step of the 1 cells within its budget; none slower than usual.");
    }
}
