using System.Globalization;
using System.Net;
using System.Text;
using KernelRegression.Checks;
using KernelRegression.Diagnosis;
using KernelRegression.Judging;
using static KernelRegression.Reports.ReportText;

namespace KernelRegression.Reports;

/// <summary>
/// The run as one self-contained HTML page (inline CSS, no scripts, no external assets), so it
/// can be attached to a CI job, mailed, or opened from the run folder: header with counts, the
/// matrix grid coloured by outcome with each cell's cause and evidence link, the failed cells with
/// their ranked diagnosis, every check's verdict, and step timings as a chart.
/// </summary>
public static class HtmlReport
{
    /// <summary>Diagnosis rows shown before the rest fold away.</summary>
    public const int TopDiagnosis = 5;

    public static string Render(RunView run)
    {
        var sb = new StringBuilder();
        sb.Append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">")
          .Append(CultureInfo.InvariantCulture, $"<title>KernelRegression run {H(run.RunId)}</title>")
          .Append("<style>").Append(ReportStyle.Css).Append("</style></head><body>\n");
        Header(sb, run);
        Grid(sb, run);
        Failures(sb, run);
        Checks(sb, run);
        NotApplied(sb, run);
        CapabilityTable(sb, run);
        sb.Append(LatencySection.Html(run));
        sb.Append("<h2>Step timings</h2>\n<p class=\"muted\">Median cell per step (bar) and slowest cell (tick).</p>\n")
          .Append(TimingChart.Svg(StepTimes.Of(run.Cells))).Append('\n');
        sb.Append("</body></html>\n");
        return sb.ToString();
    }

    private static void Header(StringBuilder sb, RunView run)
    {
        sb.Append(CultureInfo.InvariantCulture, $"<header><h1>KernelRegression run <span class=\"mono\" id=\"run-id\">{H(run.RunId)}</span></h1>\n");
        sb.Append(CultureInfo.InvariantCulture,
            $"<div class=\"meta muted\"><span>tier <b>{H(run.Tier)}</b></span><span>{run.Cells.Count} cells</span><span>elapsed {FormatElapsed(run.Elapsed)}</span></div>\n");
        sb.Append("<div class=\"counts\">");
        foreach (var outcome in Outcomes.ReportOrder.Where(o => run.Count(o) > 0 || o.AlwaysCounted()))
        {
            sb.Append(CultureInfo.InvariantCulture, $"<span class=\"badge {outcome.Name()}\" data-outcome=\"{outcome.Name()}\">{run.Count(outcome)} {outcome.Label()}</span>");
        }
        sb.Append("</div></header>\n");
    }

    private static void Grid(StringBuilder sb, RunView run)
    {
        var grid = run.Grid;
        sb.Append("<h2>Matrix</h2>\n<table class=\"grid\"><thead><tr><th rowspan=\"2\">image</th>");
        foreach (var (hub, span) in grid.HubSpans)
        {
            sb.Append(CultureInfo.InvariantCulture, $"<th colspan=\"{span}\">{H(hub)}</th>");
        }
        sb.Append("</tr><tr>");
        foreach (var column in grid.Columns)
        {
            sb.Append(CultureInfo.InvariantCulture, $"<th>{H(column.Rest)}</th>");
        }
        sb.Append("</tr></thead><tbody>\n");
        foreach (var row in grid.Rows)
        {
            sb.Append(CultureInfo.InvariantCulture, $"<tr><th>{H(row)}</th>");
            foreach (var column in grid.Columns)
            {
                if (grid.At(row, column) is not { } cell)
                {
                    sb.Append("<td class=\"empty\" title=\"not in this run\"></td>");
                    continue;
                }
                var cause = cell.OneLineCause is { } c ? $"<span class=\"cause\" title=\"{H(CauseText.Readable(c))}\">{H(CauseText.Clipped(c, cell.Expected.CauseContains, 140))}</span>" : "";
                sb.Append(CultureInfo.InvariantCulture,
                    $"<td class=\"cell {cell.Outcome.Name()}\" data-cell-id=\"{H(cell.Result.CellId)}\" title=\"{H(cell.Result.CellId)}\">" +
                    $"<a class=\"evidence\" href=\"{Folder(cell)}\">{cell.Outcome.TextSymbol()} {H(cell.Outcome.Label())}</a>{cause}</td>");
            }
            sb.Append("</tr>\n");
        }
        sb.Append("</tbody></table>\n");
    }

    private static void Failures(StringBuilder sb, RunView run)
    {
        var shown = run.NeedingAttention.Concat(run.ExpectedFailures).ToList();
        if (shown.Count == 0)
        {
            return;
        }
        sb.Append("<h2>Cells to look at</h2>\n");
        foreach (var cell in shown)
        {
            sb.Append(CultureInfo.InvariantCulture,
                $"<section class=\"card {cell.Outcome.Name()}\" id=\"{H(RunReport.Safe(cell.Result.CellId))}\"><h3>{cell.Outcome.TextSymbol()} <code>{H(cell.Result.CellId)}</code> <span class=\"muted\">{H(cell.Outcome.Label())}</span></h3>\n");
            if (cell.OneLineCause is { } cause)
            {
                sb.Append(CultureInfo.InvariantCulture, $"<div class=\"cause\">{H(CauseText.Readable(cause))}</div>\n");
            }
            if (cell.Expected.ExpectFailure)
            {
                sb.Append(CultureInfo.InvariantCulture, $"<div class=\"muted\">known-bad: {H(cell.Expected.Reason ?? "(no reason given)")}; caught only with a cause containing «{H(cell.Expected.CauseContains)}»</div>\n");
            }
            if (cell.Judgement.Why != cell.OneLineCause)
            {
                sb.Append(CultureInfo.InvariantCulture, $"<div class=\"why\">{H(cell.Judgement.Why)}</div>\n");
            }
            Screenshots(sb, cell);
            sb.Append("<ul class=\"files\">");
            foreach (var file in EvidenceFiles(cell, run))
            {
                sb.Append(CultureInfo.InvariantCulture, $"<li><a href=\"{Folder(cell)}{Uri.EscapeDataString(file)}\">{H(file)}</a></li>");
            }
            sb.Append("</ul>\n");
            DiagnosisSection(sb, run, cell);
            sb.Append("</section>\n");
        }
    }

    private static void DiagnosisSection(StringBuilder sb, RunView run, CellReport cell)
    {
        if (!run.Diagnoses.TryGetValue(cell.Result.CellId, out var d))
        {
            return;
        }
        if (d.ComparedWith is null)
        {
            sb.Append("<p class=\"muted\">No passing cell in this run to compare with.</p>\n");
            return;
        }
        sb.Append(CultureInfo.InvariantCulture, $"<p>What differs from the closest passing cell, <a href=\"{Uri.EscapeDataString(RunReport.Safe(d.ComparedWith))}/\" class=\"mono\">{H(d.ComparedWith)}</a>, most telling first:</p>\n");
        if (d.Items.Count == 0)
        {
            sb.Append("<p class=\"muted\">Nothing collected differs: the failure is not explained by the evidence gathered.</p>\n");
            return;
        }
        DiagnosisTable(sb, d.Items.Take(TopDiagnosis));
        if (d.Items.Count > TopDiagnosis)
        {
            sb.Append(CultureInfo.InvariantCulture, $"<details><summary>{d.Items.Count - TopDiagnosis} more differences</summary>");
            DiagnosisTable(sb, d.Items.Skip(TopDiagnosis));
            sb.Append("</details>\n");
        }
    }

    private static void DiagnosisTable(StringBuilder sb, IEnumerable<DiagnosisItem> items)
    {
        sb.Append("<table class=\"diagnosis\"><thead><tr><th>#</th><th>kind</th><th>what</th><th>failing</th><th>passing</th><th>why it matters</th></tr></thead><tbody>\n");
        foreach (var i in items)
        {
            sb.Append(CultureInfo.InvariantCulture,
                $"<tr><td>{i.Rank}</td><td>{H(i.Kind)}</td><td><code>{H(i.Key)}</code></td><td class=\"value mono\">{H(DiagnosisItem.Show(i.Failing))}</td>" +
                $"<td class=\"value mono\">{H(DiagnosisItem.Show(i.Passing))}</td><td>{H(i.Why)}</td></tr>\n");
        }
        sb.Append("</tbody></table>\n");
    }

    private static void Screenshots(StringBuilder sb, CellReport cell)
    {
        var shots = cell.Result.Evidence.Attachments.Where(a => a.FilePath is not null && a.Name.EndsWith(".png", StringComparison.Ordinal)).ToList();
        if (shots.Count == 0)
        {
            return;
        }
        sb.Append("<div class=\"screenshots\">");
        foreach (var a in shots)
        {
            var href = Folder(cell) + Uri.EscapeDataString(a.Name);
            sb.Append(CultureInfo.InvariantCulture, $"<figure><a href=\"{href}\"><img src=\"{href}\" alt=\"{H(a.Name)}\" loading=\"lazy\"></a><figcaption>{H(a.Name)}</figcaption></figure>");
        }
        sb.Append("</div>\n");
    }

    private static void NotApplied(StringBuilder sb, RunView run)
    {
        var cells = run.Cells.Where(c => c.Result.Evidence.NotApplied.Count > 0).ToList();
        if (cells.Count == 0)
        {
            return;
        }
        sb.Append("<h2>Not applied on this tier</h2>\n<table class=\"not-applied\"><thead><tr><th>cell</th><th>key</th><th>why</th></tr></thead><tbody>\n");
        foreach (var cell in cells)
        {
            foreach (var n in cell.Result.Evidence.NotApplied)
            {
                sb.Append(CultureInfo.InvariantCulture, $"<tr><td><code>{H(cell.Result.CellId)}</code></td><td><code>{H(n.Key)}</code></td><td>{H(n.Why)}</td></tr>\n");
            }
        }
        sb.Append("</tbody></table>\n");
    }

    private static void CapabilityTable(StringBuilder sb, RunView run)
    {
        if (run.Capabilities.Count == 0)
        {
            return;
        }
        sb.Append(CultureInfo.InvariantCulture, $"<h2>What the {H(run.Tier)} tier can do</h2>\n<table class=\"capabilities\"><thead><tr><th>capability</th><th>offered</th><th>why not</th></tr></thead><tbody>\n");
        foreach (var c in run.Capabilities)
        {
            sb.Append(CultureInfo.InvariantCulture,
                $"<tr data-capability=\"{H(c.Capability.Name)}\"><td>{H(c.Capability.Name)} <span class=\"muted\">{H(c.Capability.Description)}</span></td><td class=\"{(c.Offered ? "passed" : "skipped")}\">{(c.Offered ? "yes" : "no")}</td><td>{H(c.WhyNot ?? "")}</td></tr>\n");
        }
        sb.Append("</tbody></table>\n");
    }

    private static void Checks(StringBuilder sb, RunView run)
    {
        var names = run.Cells.SelectMany(c => c.Judgement.Checks.Select(k => k.Check)).Distinct().ToList();
        sb.Append("<h2>Checks</h2>\n<table class=\"checks\"><thead><tr><th>cell</th>");
        foreach (var name in names)
        {
            sb.Append(CultureInfo.InvariantCulture, $"<th>{H(name)}</th>");
        }
        sb.Append("</tr></thead><tbody>\n");
        foreach (var cell in run.Cells)
        {
            sb.Append(CultureInfo.InvariantCulture, $"<tr><td><a href=\"{Folder(cell)}\"><code>{H(cell.Result.CellId)}</code></a></td>");
            foreach (var name in names)
            {
                // Each check as the judge saw it: a passed check over its budget is failed here.
                var k = cell.Judgement.Checks.FirstOrDefault(c => c.Check == name);
                sb.Append(k switch
                {
                    null => "<td class=\"muted\">–</td>",
                    { Passed: true } => $"<td class=\"passed\" title=\"{H(k.Detail)}\">{k.Duration.TotalSeconds.ToString("0.0", CultureInfo.InvariantCulture)} s</td>",
                    _ => $"<td class=\"{CheckClass(k, cell)}\" title=\"{H(k.Cause ?? "")}\">{k.VerdictLabel}</td>",
                });
            }
            sb.Append("</tr>\n");
        }
        sb.Append("</tbody></table>\n");
    }

    /// <summary>A check's colour: a failure in a cell that met its expectation is its expected failure; what did not run is grey.</summary>
    private static string CheckClass(CheckOutcome k, CellReport cell) => k.VerdictName switch
    {
        "failed" when cell.MetExpectation => "expected-failure",
        "not-attempted" => "skipped",
        var name => name,
    };

    /// <summary>The files RunReport writes into a cell's folder, in the order a reader wants them.</summary>
    public static IEnumerable<string> EvidenceFiles(CellReport cell, RunView run)
    {
        var names = Reports.EvidenceFiles.Names(cell.Result.Evidence).ToList();
        if (run.Diagnoses.ContainsKey(cell.Result.CellId))
        {
            names.Insert(0, "diagnosis.txt");
        }
        return names;
    }

    private static string Folder(CellReport cell) => Uri.EscapeDataString(RunReport.Safe(cell.Result.CellId)) + "/";

    // Redact before encoding: an encoded secret would no longer match the registered text.
    private static string H(string s) => WebUtility.HtmlEncode(Secrets.Redact(s));


    private static string FormatElapsed(TimeSpan t) =>
        t.TotalMinutes >= 1 ? $"{(int)t.TotalMinutes} min {t.Seconds} s" : $"{t.TotalSeconds:0} s";
}
