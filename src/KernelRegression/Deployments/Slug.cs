using System.Text;
using System.Text.RegularExpressions;

namespace KernelRegression.Deployments;

/// <summary>
/// python-slugify's default, as KubeSpawner uses it for a profile without a `slug`
/// (kubespawner/spawner.py _get_initialized_profile_list): accented Latin letters transliterated, apostrophes dropped,
/// commas between digits dropped, lowercase, every run of other characters one '-', trimmed.
/// "Default: Shared, 8 CPU cores" → "default-shared-8-cpu-cores".
/// </summary>
internal static partial class Slug
{
    public static string Of(string text)
    {
        var ascii = new StringBuilder();
        foreach (var c in text)
        {
            if (c < 128)
            {
                ascii.Append(c);
            }
            else if (Latin.TryGetValue(c, out var plain))
            {
                ascii.Append(plain);
            }
        }
        var s = ascii.ToString().Replace("'", "", StringComparison.Ordinal);
        s = DigitComma().Replace(s, "").ToLowerInvariant();
        // python-slugify turns each run of disallowed characters into '-', then each run of dashes into one: together, every run of them.
        return Separators().Replace(s, "-").Trim('-');
    }

    // What text-unidecode (python-slugify's transliteration) gives the accented Latin letters; the
    // suite runs with invariant globalization, so Unicode decomposition is not available.
    private static readonly Dictionary<char, string> Latin = Build(
        ("ÀÁÂÃÄÅĀĂĄàáâãäåāăą", "a"), ("ÆæǼǽ", "ae"), ("ÇĆĈĊČçćĉċč", "c"), ("ÐĎĐðďđ", "d"), ("ÈÉÊËĒĔĖĘĚèéêëēĕėęě", "e"),
        ("ĜĞĠĢĝğġģ", "g"), ("ĤĦĥħ", "h"), ("ÌÍÎÏĨĪĬĮİìíîïĩīĭįı", "i"), ("Ĳĳ", "ij"), ("Ĵĵ", "j"), ("Ķķĸ", "k"),
        ("ĹĻĽĿŁĺļľŀł", "l"), ("ÑŃŅŇŊñńņňŋ", "n"), ("ÒÓÔÕÖØŌŎŐòóôõöøōŏő", "o"), ("Œœ", "oe"), ("ŔŖŘŕŗř", "r"),
        ("ŚŜŞŠśŝşš", "s"), ("ß", "ss"), ("ŢŤŦţťŧ", "t"), ("Þþ", "th"), ("ÙÚÛÜŨŪŬŮŰŲùúûüũūŭůűų", "u"), ("Ŵŵ", "w"),
        ("ÝŶŸýÿŷ", "y"), ("ŹŻŽźżž", "z"));

    private static Dictionary<char, string> Build(params (string Letters, string Plain)[] groups)
    {
        var map = new Dictionary<char, string>();
        foreach (var (letters, plain) in groups)
        {
            foreach (var c in letters)
            {
                map[c] = plain;
            }
        }
        return map;
    }

    [GeneratedRegex(@"(?<=\d),(?=\d)")]
    private static partial Regex DigitComma();

    [GeneratedRegex(@"[^a-z0-9]+")]
    private static partial Regex Separators();
}
