using System.Text;

namespace KernelRegression.Reports;

/// <summary>Text as the reports write it: clipped to a length, or made one safe line of Markdown.</summary>
public static class ReportText
{
    public static string Clip(string s, int n) => s.Length > n ? s[..n] + "…" : s;

    /// <summary>A Markdown table cell or list item is one line, and a '|' would split a table cell (causes often hold both).</summary>
    public static string Inline(string? s) =>
        (s ?? "").Replace("\r", "", StringComparison.Ordinal).Replace('\n', ' ').Replace("|", "\\|", StringComparison.Ordinal);

    /// <summary>For inside backticks, where a backtick would end the code span.</summary>
    public static string Code(string s) => Inline(s).Replace('`', '\'');

    /// <summary>A Markdown report begun with its title and lead paragraph.</summary>
    public static StringBuilder MarkdownHeader(string title, string lead) =>
        new StringBuilder().Append("# ").AppendLine(title).AppendLine().AppendLine(lead).AppendLine();
}
