using System.Globalization;
using System.Text;
using KernelRegression.Diagnosis;
using KernelRegression.Judging;
using static KernelRegression.Reports.ReportText;

namespace KernelRegression.Reports;

/// <summary>
/// The Markdown a CI job posts ($GITHUB_STEP_SUMMARY): counts, the matrix grid, and for each cell
/// that did not meet its expectation the cause and the top three diagnosis items. Compact on
/// purpose: everything else is in report.html and the cells' evidence folders.
/// </summary>
public static class MarkdownSummary
{
    public const int TopDiagnosis = 3;

    public static string Render(RunView run)
    {
        var sb = MarkdownHeader($"KernelRegression run {run.RunId}", string.Create(CultureInfo.InvariantCulture,
            $"Tier **{run.Tier}**, {run.Cells.Count} cells, {run.Elapsed.TotalSeconds:0} s. **{RunReport.Summary(run.Cells)}**. Full report: [report.html](report.html)."));
        Grid(sb, run.Grid);
        var attention = run.NeedingAttention.ToList();
        if (attention.Count > 0)
        {
            sb.AppendLine();
            sb.AppendLine("## Did not meet expectation");
            foreach (var cell in attention)
            {
                sb.AppendLine();
                sb.AppendLine(CultureInfo.InvariantCulture, $"### {cell.Outcome.Symbol()} `{Code(cell.Result.CellId)}` {cell.Outcome.Label()}");
                sb.AppendLine();
                // The judge's words, log prefixes stripped; a failure's reads as its cause.
                var j = cell.Judgement;
                var why = CauseText.Readable(j.Why);
                sb.AppendLine(j.Cause is { } c && j.Why.StartsWith(c, StringComparison.Ordinal) ? $"Cause: {Inline(why)}" : Inline(why));
                sb.AppendLine();
                Diagnosis(sb, run, cell);
                sb.AppendLine(CultureInfo.InvariantCulture, $"Evidence: [{RunReport.Safe(cell.Result.CellId)}/]({Uri.EscapeDataString(RunReport.Safe(cell.Result.CellId))}/)");
            }
        }
        sb.Append(LatencySection.Markdown(run));
        var notApplied = run.Cells.Where(c => c.Result.Evidence.NotApplied.Count > 0).ToList();
        if (notApplied.Count > 0)
        {
            sb.AppendLine();
            sb.AppendLine("## Not applied on this tier");
            sb.AppendLine();
            foreach (var cell in notApplied)
            {
                sb.AppendLine(CultureInfo.InvariantCulture, $"- `{Code(cell.Result.CellId)}`: {Inline(string.Join("; ", cell.Result.Evidence.NotApplied))}");
            }
        }
        var expected = run.ExpectedFailures.ToList();
        if (expected.Count > 0)
        {
            sb.AppendLine();
            sb.AppendLine("## Expected failures (still caught)");
            sb.AppendLine();
            foreach (var cell in expected)
            {
                sb.AppendLine(CultureInfo.InvariantCulture, $"- `{Code(cell.Result.CellId)}`: {Inline(cell.OneLineCause ?? "")} (expected: {Inline(cell.Expected.Reason ?? "")})");
            }
        }
        return sb.ToString();
    }

    private static void Grid(StringBuilder sb, MatrixGrid grid)
    {
        sb.AppendLine("| image | " + string.Join(" | ", grid.Columns.Select(c => Inline($"{c.Hub} · {c.Rest}".Trim(' ', '·')))) + " |");
        sb.AppendLine("|---|" + string.Concat(grid.Columns.Select(_ => "---|")));
        foreach (var row in grid.Rows)
        {
            var slots = grid.Columns.Select(column => grid.At(row, column) is { } cell
                ? $"{cell.Outcome.Symbol()} [{Inline(cell.OneLineCause is { } c ? CauseText.Clipped(c, cell.Expected.CauseContains, 80) : cell.Outcome.Label())}]({Uri.EscapeDataString(RunReport.Safe(cell.Result.CellId))}/)"
                : "");
            sb.AppendLine(CultureInfo.InvariantCulture, $"| **{Inline(row)}** | {string.Join(" | ", slots)} |");
        }
    }

    private static void Diagnosis(StringBuilder sb, RunView run, CellReport cell)
    {
        if (!run.Diagnoses.TryGetValue(cell.Result.CellId, out var d) || d.ComparedWith is null)
        {
            return;
        }
        sb.AppendLine(CultureInfo.InvariantCulture, $"Differs from `{Code(d.ComparedWith)}` (closest passing cell) in:");
        sb.AppendLine();
        foreach (var i in d.Top(TopDiagnosis))
        {
            sb.AppendLine(CultureInfo.InvariantCulture,
                $"{i.Rank}. `{Code(i.Key)}`: `{Code(Clip(DiagnosisItem.Show(i.Failing), 120))}` vs `{Code(Clip(DiagnosisItem.Show(i.Passing), 60))}` ({Inline(i.Why)})");
        }
        sb.AppendLine();
    }
}
