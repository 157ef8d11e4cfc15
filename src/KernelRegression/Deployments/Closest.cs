namespace KernelRegression.Deployments;

/// <summary>The known name a mistyped one most likely meant: same letters ignoring case, '_' and '-' first, then edit distance.</summary>
internal static class Closest
{
    public static string? To(string name, IEnumerable<string> known)
    {
        var candidates = known.Distinct(StringComparer.Ordinal).ToList();
        var folded = Fold(name);
        var same = candidates.FirstOrDefault(k => Fold(k) == folded);
        if (same is not null)
        {
            return same;
        }
        var best = candidates
            .Select(k => (Key: k, Distance: Distance(folded, Fold(k))))
            .OrderBy(x => x.Distance).ThenBy(x => x.Key, StringComparer.Ordinal)
            .FirstOrDefault();
        // Beyond about a third of the name's letters it is a different word, not a typo.
        return best.Key is not null && best.Distance <= Math.Max(2, folded.Length / 3) ? best.Key : null;
    }

    private static string Fold(string s) => new(s.Where(c => c is not ('_' or '-')).Select(char.ToLowerInvariant).ToArray());

    /// <summary>Levenshtein distance (insert, delete, substitute, each 1).</summary>
    public static int Distance(string a, string b)
    {
        var previous = Enumerable.Range(0, b.Length + 1).ToArray();
        var current = new int[b.Length + 1];
        for (var i = 1; i <= a.Length; i++)
        {
            current[0] = i;
            for (var j = 1; j <= b.Length; j++)
            {
                current[j] = Math.Min(Math.Min(current[j - 1] + 1, previous[j] + 1), previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1));
            }
            (previous, current) = (current, previous);
        }
        return previous[b.Length];
    }
}
