namespace KernelRegression.Bisect;

/// <summary>Where a probe was made: one of the two ends (verified before searching) or a search step.</summary>
public enum ProbeKind
{
    GoodEnd,
    BadEnd,
    Search,
}

/// <summary>One probe of the bisection: which position, why, and whether it was bad.</summary>
public sealed record Probe(int Index, ProbeKind Kind, bool Bad);

/// <summary>The bisection's answer: the last good and first bad positions, and every probe made.</summary>
public sealed record BisectTrace(int LastGood, int FirstBad, IReadOnlyList<Probe> Probes)
{
    /// <summary>Probes of the middle search, the ends excluded: what "log2 steps" counts.</summary>
    public int SearchSteps => Probes.Count(p => p.Kind == ProbeKind.Search);
}

/// <summary>The ends disagree with the claim "good passes, bad fails": nothing to search.</summary>
public sealed class InconsistentEndsException(string what, string fix) : HarnessException(what, fix);

/// <summary>
/// Binary search for the first bad position in an ordered list, over any predicate. The two ends
/// are probed first (the good end must be good, the bad end bad); then the search keeps
/// "lo is good, hi is bad" and halves the gap, so it takes at most ceil(log2(bad - good)) probes.
/// Pure: everything it knows about the world comes from the predicate.
/// </summary>
public static class Bisection
{
    /// <summary>The most search steps (ends excluded) a gap between the ends can take.</summary>
    public static int MaxSearchSteps(int good, int bad) => bad - good <= 1 ? 0 : (int)Math.Ceiling(Math.Log2(bad - good));

    public static async Task<BisectTrace> FirstBadAsync(int count, int good, int bad,
        Func<int, ProbeKind, CancellationToken, Task<bool>> isBad, CancellationToken ct)
    {
        if (count < 2)
        {
            throw new HarnessException($"bisect needs at least 2 ordered values, got {count}",
                "list the values in order, oldest (good) first, newest (bad) last");
        }
        if (good < 0 || bad >= count || good >= bad)
        {
            throw new HarnessException($"the good end (position {good + 1}) must come before the bad end (position {bad + 1}) among {count} values",
                "order the values oldest first; --good names a value before --bad");
        }
        var probes = new List<Probe>();
        async Task<bool> ProbeAsync(int i, ProbeKind kind)
        {
            ct.ThrowIfCancellationRequested();
            var b = await isBad(i, kind, ct);
            probes.Add(new Probe(i, kind, b));
            return b;
        }

        if (await ProbeAsync(good, ProbeKind.GoodEnd))
        {
            throw new InconsistentEndsException($"the good end (position {good + 1}) fails the checks: good and bad swapped?",
                "pass --good a value known to pass (the last known-good deployment), or check the failure printed above: it may not be the regression you are after");
        }
        if (!await ProbeAsync(bad, ProbeKind.BadEnd))
        {
            throw new InconsistentEndsException($"the bad end (position {bad + 1}) passes the checks: good and bad swapped?",
                "pass --bad a value that shows the failure (run it alone: kr run), or widen the checks (--checks) so they catch it");
        }
        var (lo, hi) = (good, bad);
        while (hi - lo > 1)
        {
            var mid = lo + ((hi - lo) / 2);
            if (await ProbeAsync(mid, ProbeKind.Search))
            {
                hi = mid;
            }
            else
            {
                lo = mid;
            }
        }
        return new BisectTrace(lo, hi, probes);
    }
}
