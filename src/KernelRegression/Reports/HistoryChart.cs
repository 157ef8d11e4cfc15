using System.Globalization;
using System.Text;
using KernelRegression.Latency;
using KernelRegression.Matrix;

namespace KernelRegression.Reports;

/// <summary>
/// One cell's recent runs as a small inline SVG (no script, no external asset): per budgeted step a line
/// of its time as a share of its budget over the last runs, this run last, and the budget as a dashed
/// line at 100 %, so a drift towards the budget shows at a glance. Each point's tooltip has the time.
/// </summary>
public static class HistoryChart
{
    private const int Width = 380, PlotHeight = 120, Left = 40, Right = 12, Top = 8, LegendRow = 16, LegendColumns = 3;

    private static readonly string[] Palette = ["#0969da", "#1a7f37", "#8250df", "#bf3989", "#bc4c00", "#d4a72c", "#57606a", "#1b7c83"];

    /// <summary>A run of the chart: its label and the steps' times.</summary>
    public sealed record Point(string Run, IReadOnlyDictionary<BudgetStep, TimeSpan> Steps);

    public static string Svg(CellLatency latency, string runLabel = "this run")
    {
        var points = latency.Recent
            .Select(e => new Point(e.Run, BudgetStep.All.Where(s => e[s] is not null).ToDictionary(s => s, s => e[s]!.Value)))
            .Append(new Point(runLabel, latency.Steps.Where(s => s.Completed).ToDictionary(s => s.Step, s => s.Measured)))
            .ToList();
        var limits = latency.Steps.Where(s => s.Limit is not null).ToDictionary(s => s.Step, s => s.Limit!.Value);
        var steps = BudgetStep.All.Where(limits.ContainsKey).ToList();
        if (steps.Count == 0)
        {
            return "";
        }
        var top = Math.Max(1.25, Math.Min(3, points.SelectMany(p => p.Steps.Where(s => limits.ContainsKey(s.Key)).Select(s => s.Value / limits[s.Key])).DefaultIfEmpty(0).Max() * 1.1));
        var plotWidth = Width - Left - Right;
        double X(int i) => Left + (points.Count == 1 ? plotWidth / 2.0 : i * plotWidth / (double)(points.Count - 1));
        double Y(double ratio) => Top + PlotHeight - Math.Min(ratio, top) / top * PlotHeight;
        var legendRows = (steps.Count + LegendColumns - 1) / LegendColumns;
        var height = Top + PlotHeight + 18 + legendRows * LegendRow;
        var sb = new StringBuilder();
        sb.Append(CultureInfo.InvariantCulture,
            $"<svg class=\"step-history\" xmlns=\"http://www.w3.org/2000/svg\" width=\"{Width}\" height=\"{height}\" viewBox=\"0 0 {Width} {height}\" role=\"img\" aria-label=\"step times of the last {points.Count} runs, as a share of each budget\" font-family=\"system-ui, sans-serif\" font-size=\"10\">");
        sb.Append(CultureInfo.InvariantCulture, $"<rect x=\"{Left}\" y=\"{Top}\" width=\"{plotWidth}\" height=\"{PlotHeight}\" fill=\"#f6f8fa\"/>");
        foreach (var tick in new[] { 0, 0.5, 1 }.Where(t => t <= top))
        {
            var y = Y(tick);
            sb.Append(CultureInfo.InvariantCulture, $"<text x=\"{Left - 4}\" y=\"{y + 3:0.#}\" text-anchor=\"end\" fill=\"#656d76\">{tick * 100:0}%</text>");
        }
        sb.Append(CultureInfo.InvariantCulture,
            $"<line x1=\"{Left}\" x2=\"{Left + plotWidth}\" y1=\"{Y(1):0.#}\" y2=\"{Y(1):0.#}\" stroke=\"#cf222e\" stroke-dasharray=\"4 3\"><title>budget</title></line>");
        for (var k = 0; k < steps.Count; k++)
        {
            var step = steps[k];
            var color = Palette[k % Palette.Length];
            var line = points.Select((p, i) => (p, i)).Where(x => x.p.Steps.ContainsKey(step)).ToList();
            if (line.Count > 1)
            {
                sb.Append(CultureInfo.InvariantCulture, $"<polyline fill=\"none\" stroke=\"{color}\" stroke-width=\"1.5\" points=\"{string.Join(' ', line.Select(x => $"{X(x.i):0.#},{Y(x.p.Steps[step] / limits[step]):0.#}"))}\"/>");
            }
            foreach (var (p, i) in line)
            {
                var t = p.Steps[step];
                sb.Append(CultureInfo.InvariantCulture,
                    $"<circle cx=\"{X(i):0.#}\" cy=\"{Y(t / limits[step]):0.#}\" r=\"{(i == points.Count - 1 ? 3.5 : 2.2)}\" fill=\"{color}\"><title>{H(step.Label)}, {H(p.Run)}: {Format.Duration(t)} ({t / limits[step] * 100:0}% of {Format.Duration(limits[step])})</title></circle>");
            }
            var lx = Left + k % LegendColumns * (plotWidth / LegendColumns);
            var ly = Top + PlotHeight + 16 + k / LegendColumns * LegendRow;
            sb.Append(CultureInfo.InvariantCulture,
                $"<rect x=\"{lx}\" y=\"{ly - 8}\" width=\"10\" height=\"3\" fill=\"{color}\"/><text x=\"{lx + 14}\" y=\"{ly - 3}\" fill=\"#1f2328\">{H(step.Name)}</text>");
        }
        sb.Append("</svg>");
        return sb.ToString();
    }

    private static string H(string s) => System.Net.WebUtility.HtmlEncode(s);
}
