using System.Text.RegularExpressions;

namespace KernelRegression.Reports;

/// <summary>
/// A cause as the reports and the console show it: its classified words first, as the cause gives them ("out of
/// memory: …"), without the log prefixes that hid them ("[W 2026-11-26 00:26:13.859 JupyterHub
/// kr_container_spawner:218] "), and, where it must be short (a grid cell), cut at a word but never through the
/// words the cell's expectation looks for (its cause_contains): when they lie past the cut, the cut part ends
/// with an ellipsis and the words follow with what comes after them. The cause the judge reads is never changed.
/// </summary>
public static partial class CauseText
{
    /// <summary>The cause with every Jupyter/tornado log prefix removed and its whitespace made single spaces.</summary>
    public static string Readable(string cause) =>
        Whitespace().Replace(LogPrefix().Replace(cause, ""), " ").Trim();

    /// <summary>At most about <paramref name="max"/> characters of the readable cause, keeping <paramref name="keyWords"/> whole.</summary>
    public static string Clipped(string cause, string? keyWords, int max)
    {
        var text = Readable(cause);
        if (text.Length <= max)
        {
            return text;
        }
        var key = string.IsNullOrWhiteSpace(keyWords) ? -1 : text.IndexOf(keyWords.Trim(), StringComparison.Ordinal);
        if (key < 0 || key + keyWords!.Trim().Length <= max - 1)
        {
            return AtWord(text, max - 1) + "…";
        }
        // The key words past the cut: the start, an ellipsis, then the words and what follows them.
        var words = keyWords.Trim();
        var head = AtWord(text, Math.Max(max / 2 - 2, 10));
        var tail = text[(key + words.Length)..];
        var rest = AtWord(tail, Math.Max(max - head.Length - words.Length - 4, 0));
        return $"{head} … {words}{rest}{(rest.Length < tail.Length ? "…" : "")}";
    }

    /// <summary>The longest start of <paramref name="s"/> of at most <paramref name="n"/> characters that ends at a word's end.</summary>
    private static string AtWord(string s, int n)
    {
        if (s.Length <= n)
        {
            return s;
        }
        var cut = s.LastIndexOf(' ', Math.Max(n, 1) - 1, Math.Max(n, 1));
        return (cut > n / 2 ? s[..cut] : s[..n]).TrimEnd(' ', ',', ';', ':');
    }

    /// <summary>"[W 2026-11-26 00:26:13.859 JupyterHub kr_container_spawner:218] ", "[I 251126 00:26:13 web:2348] ".</summary>
    [GeneratedRegex(@"\[[DIWEC] (\d{4}-\d{2}-\d{2} |\d{6} )\d{2}:\d{2}:\d{2}(\.\d+)?[^\]]*\] ?")]
    private static partial Regex LogPrefix();

    [GeneratedRegex(@"\s+")]
    private static partial Regex Whitespace();
}
