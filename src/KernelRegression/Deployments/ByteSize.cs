using System.Globalization;

namespace KernelRegression.Deployments;

/// <summary>
/// JupyterHub's ByteSpecification (jupyterhub/traitlets.py): an integer is bytes; a string is a
/// number followed by exactly one of K, M, G, T, powers of 1024. "1Gi", "500m" and a bare "512"
/// string are refused (a frequent z2jh mistake: jupyterhub/mybinder.org-deploy#456).
/// </summary>
internal static class ByteSize
{
    private static readonly Dictionary<char, long> Units = new() { ['K'] = 1L << 10, ['M'] = 1L << 20, ['G'] = 1L << 30, ['T'] = 1L << 40 };

    public static bool TryParse(string text, out long bytes)
    {
        bytes = 0;
        if (text.Length < 2 || !Units.TryGetValue(text[^1], out var unit)
            || !double.TryParse(text[..^1], NumberStyles.Float, CultureInfo.InvariantCulture, out var n))
        {
            return false;
        }
        bytes = (long)(n * unit);
        return true;
    }

    /// <summary>Bytes of a value, or null when it is not a size JupyterHub accepts.</summary>
    public static long? Of(object? value) => value switch
    {
        long l => l,
        double d => (long)d,
        string s when TryParse(s, out var b) => b,
        _ => null,
    };

    /// <summary>1073741824 → "1G", 1610612736 → "1.5G": for diffs and summaries.</summary>
    public static string Human(long bytes)
    {
        foreach (var (suffix, unit) in Units.OrderByDescending(u => u.Value))
        {
            var n = bytes / (double)unit;
            if (n >= 1 && Math.Abs(n * 1000 - Math.Round(n * 1000)) < 1e-6)
            {
                return n.ToString("0.###", CultureInfo.InvariantCulture) + suffix;
            }
        }
        return bytes.ToString(CultureInfo.InvariantCulture);
    }
}
