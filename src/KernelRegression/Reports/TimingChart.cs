using System.Globalization;
using System.Net;
using System.Text;

namespace KernelRegression.Reports;

/// <summary>
/// A small horizontal bar chart of step times as inline SVG: one bar per step for the median
/// cell, a tick for the slowest cell. Inline so the report stays one file that opens anywhere.
/// </summary>
public static class TimingChart
{
    private const int LabelWidth = 130, BarWidth = 420, ValueWidth = 150, RowHeight = 20;

    public static string Svg(IReadOnlyList<StepTime> steps)
    {
        if (steps.Count == 0)
        {
            return "<p class=\"muted\">No step timings were recorded.</p>";
        }
        var scale = steps.Max(s => s.MaxMs) is var max && max > 0 ? BarWidth / max : 0;
        var width = LabelWidth + BarWidth + ValueWidth;
        var height = steps.Count * RowHeight + 8;
        var sb = new StringBuilder();
        sb.Append(CultureInfo.InvariantCulture,
            $"<svg class=\"timings\" xmlns=\"http://www.w3.org/2000/svg\" width=\"{width}\" height=\"{height}\" viewBox=\"0 0 {width} {height}\" role=\"img\" aria-label=\"step timings\">");
        for (var i = 0; i < steps.Count; i++)
        {
            var s = steps[i];
            var y = i * RowHeight + 4;
            var median = Math.Max(1, s.MedianMs * scale);
            var tick = LabelWidth + s.MaxMs * scale;
            var step = WebUtility.HtmlEncode(s.Step);
            var slowest = s.Cells > 1 ? $" (max {StepTimes.Format(s.MaxMs)})" : "";
            sb.Append(CultureInfo.InvariantCulture, $"<text x=\"{LabelWidth - 8}\" y=\"{y + 13}\" text-anchor=\"end\">{step}</text>");
            sb.Append(CultureInfo.InvariantCulture,
                $"<rect x=\"{LabelWidth}\" y=\"{y + 3}\" width=\"{median:0.#}\" height=\"{RowHeight - 8}\" rx=\"2\" class=\"bar\"><title>{step}: median {StepTimes.Format(s.MedianMs)}, slowest {StepTimes.Format(s.MaxMs)} over {s.Cells} cells</title></rect>");
            if (s.Cells > 1)
            {
                sb.Append(CultureInfo.InvariantCulture, $"<line x1=\"{tick:0.#}\" x2=\"{tick:0.#}\" y1=\"{y + 1}\" y2=\"{y + RowHeight - 3}\" class=\"max\"/>");
            }
            sb.Append(CultureInfo.InvariantCulture, $"<text x=\"{LabelWidth + BarWidth + 8}\" y=\"{y + 13}\">{StepTimes.Format(s.MedianMs)}{slowest}</text>");
        }
        sb.Append("</svg>");
        return sb.ToString();
    }
}
