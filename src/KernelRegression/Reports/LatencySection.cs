using System.Globalization;
using System.Net;
using System.Text;
using KernelRegression.Latency;
using KernelRegression.Matrix;

namespace KernelRegression.Reports;

/// <summary>
/// The budgets' part of the reports: in report.html every cell's steps beside their budgets (over budget
/// in red, slower than usual marked ▲) and per cell a chart of its last runs; in report.md the steps
/// over budget and the slower-than-usual ones, one line each.
/// </summary>
public static class LatencySection
{
    public static string Html(RunView run)
    {
        var cells = run.Cells.Where(c => c.Result.Latency is not null).ToList();
        if (cells.Count == 0)
        {
            return "";
        }
        var steps = BudgetStep.All.Where(s => cells.Any(c => c.Result.Latency![s] is not null)).ToList();
        var sb = new StringBuilder();
        sb.Append("<h2 id=\"step-budgets\">Step budgets</h2>\n<p class=\"muted\">Each step against its budget (fixtures/matrix.yaml <code>budgets:</code>, the command line's <code>--budget</code>")
          .Append(Math.Abs(Deadline.Scale - 1) > 1e-9 ? string.Create(CultureInfo.InvariantCulture, $", × KR_TIMEOUT_SCALE {Deadline.Scale:0.##}") : "")
          .Append("). Over budget (red) fails the check that ran the step; ▲ marks a step slower than usual for its cell.</p>\n");
        sb.Append("<table class=\"budgets\"><thead><tr><th>cell</th>");
        foreach (var s in steps)
        {
            sb.Append(CultureInfo.InvariantCulture, $"<th title=\"{H(s.Measures)}\">{H(s.Name)}</th>");
        }
        sb.Append("</tr></thead><tbody>\n");
        foreach (var cell in cells)
        {
            var latency = cell.Result.Latency!;
            sb.Append(CultureInfo.InvariantCulture, $"<tr data-cell-id=\"{H(cell.Result.CellId)}\"><td><code>{H(cell.Result.CellId)}</code></td>");
            foreach (var s in steps)
            {
                if (latency[s] is not { } v)
                {
                    sb.Append("<td class=\"muted\">–</td>");
                    continue;
                }
                if (!v.Completed)
                {
                    sb.Append(CultureInfo.InvariantCulture,
                        $"<td class=\"muted\" data-step=\"{s.Name}\" style=\"white-space: nowrap\" title=\"{H(v.Owner ?? "")} failed before this step completed: the time to that failure, not judged\">({Format.Duration(v.Measured)})</td>");
                    continue;
                }
                var flag = latency.SlowerThanUsual.FirstOrDefault(f => f.Step == s);
                var title = (v.Budget is { } b ? $"budget {Format.Seconds(b.Seconds)} ({b.From})" : "no budget")
                    + (v.Samples > 1 ? $"; {v.Samples} timings" : "") + (v.Mode is null ? "" : $"; {v.Mode}") + (flag is null ? "" : "; " + flag);
                var css = v.Over ? " class=\"failed\"" : flag is not null ? " class=\"expected-failure\"" : "";
                sb.Append(CultureInfo.InvariantCulture,
                    $"<td{css} data-step=\"{s.Name}\" style=\"white-space: nowrap\" title=\"{H(title)}\">{Format.Duration(v.Measured)}{(v.Limit is { } l ? $" <span class=\"muted\">/ {Format.Duration(l)}</span>" : "")}{(flag is null ? "" : " ▲")}</td>");
            }
            sb.Append("</tr>\n");
        }
        sb.Append("</tbody></table>\n");
        var charted = cells.Where(c => c.Result.Latency!.Recent.Count > 0).ToList();
        if (charted.Count > 0)
        {
            sb.Append("<h3>Recent runs</h3>\n<p class=\"muted\">Per cell, each step's time as a share of its budget over the cell's last runs in the history (this run last); the dashed line is the budget.</p>\n<div class=\"screenshots\">");
            foreach (var cell in charted)
            {
                sb.Append(CultureInfo.InvariantCulture,
                    $"<figure data-cell-id=\"{H(cell.Result.CellId)}\">{HistoryChart.Svg(cell.Result.Latency!)}<figcaption>{H(cell.Result.CellId)}</figcaption></figure>");
            }
            sb.Append("</div>\n");
        }
        return sb.ToString();
    }

    public static string Markdown(RunView run)
    {
        var cells = run.Cells.Where(c => c.Result.Latency is not null).ToList();
        if (cells.Count == 0)
        {
            return "";
        }
        var over = cells.SelectMany(c => c.Result.Latency!.OverBudget.Select(v => (Cell: c.Result.CellId, v, Expected: c.MetExpectation))).ToList();
        var slower = cells.SelectMany(c => c.Result.Latency!.SlowerThanUsual).ToList();
        var sb = new StringBuilder();
        sb.AppendLine().AppendLine("## Step budgets").AppendLine();
        if (over.Count == 0 && slower.Count == 0)
        {
            sb.AppendLine(CultureInfo.InvariantCulture, $"Every step of the {cells.Count} cells within its budget; none slower than usual.");
            return sb.ToString();
        }
        foreach (var (cell, v, expected) in over)
        {
            var owner = (v.Owner, expected) switch
            {
                (null, _) => "",
                (_, true) => $" (check {v.Owner}; an expected failure)",
                _ => $" (check {v.Owner})",
            };
            sb.AppendLine(CultureInfo.InvariantCulture, $"- `{cell}`: {v.Step.Label} {Format.Duration(v.Measured)}, over its {Format.Duration(v.Limit!.Value)} budget{owner}");
        }
        foreach (var f in slower)
        {
            sb.AppendLine(CultureInfo.InvariantCulture, $"- `{f.CellId}`: ▲ {f}");
        }
        return sb.ToString();
    }

    private static string H(string s) => WebUtility.HtmlEncode(Secrets.Redact(s));
}
