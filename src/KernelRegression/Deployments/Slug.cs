using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace KernelRegression.Deployments;

/// <summary>
/// python-slugify's default, as KubeSpawner uses it for a profile without a `slug`
/// (kubespawner/spawner.py _get_initialized_profile_list): accents stripped, apostrophes dropped,
/// commas between digits dropped, lowercase, every run of other characters one '-', trimmed.
/// "Default: Shared, 8 CPU cores" → "default-shared-8-cpu-cores".
/// </summary>
internal static partial class Slug
{
    public static string Of(string text)
    {
        var decomposed = text.Normalize(NormalizationForm.FormKD);
        var ascii = new StringBuilder();
        foreach (var c in decomposed)
        {
            if (CharUnicodeInfo.GetUnicodeCategory(c) != UnicodeCategory.NonSpacingMark && c < 128)
            {
                ascii.Append(c);
            }
        }
        var s = ascii.ToString().Replace("'", "", StringComparison.Ordinal);
        s = DigitComma().Replace(s, "").ToLowerInvariant();
        s = Disallowed().Replace(s, "-");
        s = Dashes().Replace(s, "-");
        return s.Trim('-');
    }

    [GeneratedRegex(@"(?<=\d),(?=\d)")]
    private static partial Regex DigitComma();

    [GeneratedRegex(@"[^-a-z0-9]+")]
    private static partial Regex Disallowed();

    [GeneratedRegex(@"-{2,}")]
    private static partial Regex Dashes();
}
