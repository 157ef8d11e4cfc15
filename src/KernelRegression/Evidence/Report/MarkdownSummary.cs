using System.Globalization;
using System.Text;
using KernelRegression.Evidence.Diagnosis;

namespace KernelRegression.Evidence.Report;

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
        var sb = new StringBuilder();
        sb.AppendLine(CultureInfo.InvariantCulture, $"# KernelRegression run {run.RunId}");
        sb.AppendLine();
        sb.AppendLine(CultureInfo.InvariantCulture,
            $"Tier **{run.Tier}**, {run.Cells.Count} cells, {run.Elapsed.TotalSeconds:0} s. **{RunReport.Summary(run.Cells)}**. Full report: [report.html](report.html).");
        sb.AppendLine();
        Grid(sb, run.Grid);
        var attention = run.NeedingAttention.ToList();
        if (attention.Count > 0)
        {
            sb.AppendLine();
            sb.AppendLine("## Did not meet expectation");
            foreach (var cell in attention)
            {
                sb.AppendLine();
                sb.AppendLine(CultureInfo.InvariantCulture, $"### {RunView.Symbol(cell.Outcome)} `{Code(cell.Result.CellId)}` {RunView.Label(cell.Outcome)}");
                sb.AppendLine();
                sb.AppendLine(cell.Outcome == "unexpected-pass"
                    ? $"Expected to fail ({Inline(cell.ExpectedReason ?? "no reason given")}) but passed: the known-bad case is no longer caught, or it was fixed."
                    : $"Cause: {Inline(cell.Result.Cause ?? "(none recorded)")}");
                sb.AppendLine();
                Diagnosis(sb, run, cell);
                sb.AppendLine(CultureInfo.InvariantCulture, $"Evidence: [{RunReport.Safe(cell.Result.CellId)}/]({Uri.EscapeDataString(RunReport.Safe(cell.Result.CellId))}/)");
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
                sb.AppendLine(CultureInfo.InvariantCulture, $"- `{Code(cell.Result.CellId)}`: {Inline(cell.Result.Cause ?? "")} (expected: {Inline(cell.ExpectedReason ?? "")})");
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
                ? $"{RunView.Symbol(cell.Outcome)} [{(cell.Outcome is "passed" ? "passed" : Inline(Clip(cell.OneLineCause ?? RunView.Label(cell.Outcome), 80)))}]({Uri.EscapeDataString(RunReport.Safe(cell.Result.CellId))}/)"
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

    // Table cells and list items are one line; a '|' would split a table cell.
    private static string Inline(string s) => s.Replace("\r", "", StringComparison.Ordinal).Replace('\n', ' ').Replace("|", "\\|", StringComparison.Ordinal);

    private static string Code(string s) => Inline(s).Replace('`', '\'');

    private static string Clip(string s, int n) => s.Length > n ? s[..n] + "…" : s;
}
