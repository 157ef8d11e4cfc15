using KernelRegression.Judging;

namespace KernelRegression.Bisect;

/// <summary>Where a probe was made: one of the two ends (verified before searching) or a search step.</summary>
public enum ProbeKind
{
    GoodEnd,
    BadEnd,
    Search,
}

/// <summary>One probe of the bisection: which position, why, and what it found (the judge's <see cref="ProbeVerdict"/>).</summary>
public sealed record Probe(int Index, ProbeKind Kind, ProbeVerdict Verdict)
{
    public bool Bad => Verdict == ProbeVerdict.Bad;
}

/// <summary>
/// The bisection's answer: the last good and first bad positions, and every probe made. When skipped
/// positions lie between them, the first bad is one of those or <see cref="FirstBad"/>: <see cref="Ambiguous"/>.
/// </summary>
public sealed record BisectTrace(int LastGood, int FirstBad, IReadOnlyList<Probe> Probes)
{
    /// <summary>Probes of the middle search, the ends excluded: what "log2 steps" counts.</summary>
    public int SearchSteps => Probes.Count(p => p.Kind == ProbeKind.Search);

    public IReadOnlyList<int> Skipped => [.. Probes.Where(p => p.Verdict == ProbeVerdict.Skip).Select(p => p.Index).Order()];

    /// <summary>Skipped positions between the last good and the first bad: the culprit may be any of them.</summary>
    public bool Ambiguous => Skipped.Any(i => i > LastGood && i < FirstBad);
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

    public static Task<BisectTrace> FirstBadAsync(int count, int good, int bad,
        Func<int, ProbeKind, CancellationToken, Task<bool>> isBad, CancellationToken ct) =>
        FirstBadAsync(count, good, bad, async (i, k, t) => await isBad(i, k, t) ? ProbeVerdict.Bad : ProbeVerdict.Good, ct);

    /// <summary>
    /// As above, with probes that may have no verdict: a skipped position is left out and the next
    /// probe is the untried position nearest the middle of what remains, as `git bisect skip` does.
    /// </summary>
    public static async Task<BisectTrace> FirstBadAsync(int count, int good, int bad,
        Func<int, ProbeKind, CancellationToken, Task<ProbeVerdict>> probe, CancellationToken ct)
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
        async Task<ProbeVerdict> ProbeAsync(int i, ProbeKind kind)
        {
            ct.ThrowIfCancellationRequested();
            var v = await probe(i, kind, ct);
            probes.Add(new Probe(i, kind, v));
            return v;
        }

        RequireEnd(ProbeKind.GoodEnd, good, await ProbeAsync(good, ProbeKind.GoodEnd));
        RequireEnd(ProbeKind.BadEnd, bad, await ProbeAsync(bad, ProbeKind.BadEnd));
        var (lo, hi) = (good, bad);
        var skipped = new HashSet<int>();
        while (true)
        {
            var middle = lo + ((hi - lo) / 2.0);
            var untried = Enumerable.Range(lo + 1, Math.Max(0, hi - lo - 1)).Where(i => !skipped.Contains(i)).ToList();
            if (untried.Count == 0)
            {
                break;
            }
            var mid = untried.OrderBy(i => Math.Abs(i - middle)).ThenBy(i => i).First();
            switch (await ProbeAsync(mid, ProbeKind.Search))
            {
                case ProbeVerdict.Bad:
                    hi = mid;
                    break;
                case ProbeVerdict.Good:
                    lo = mid;
                    break;
                default:
                    skipped.Add(mid);
                    break;
            }
        }
        return new BisectTrace(lo, hi, probes);
    }

    /// <summary>An end that has no verdict, or the other end's verdict, stops the bisect before any search step: what it means, and what to pass instead.</summary>
    private static void RequireEnd(ProbeKind end, int position, ProbeVerdict verdict)
    {
        (string? what, string fix) = (end, verdict) switch
        {
            (ProbeKind.GoodEnd, ProbeVerdict.Skip) => ("has no verdict (a harness error, or a failure unlike the regression's)",
                "read that step's evidence above; fix the harness error, or pass --good a value that runs"),
            (ProbeKind.GoodEnd, ProbeVerdict.Bad) => ("fails the checks: good and bad swapped?",
                "pass --good a value known to pass (the last known-good deployment), or check the failure printed above: it may not be the regression you are after"),
            (ProbeKind.BadEnd, ProbeVerdict.Skip) => ("has no verdict (a harness error)",
                "read that step's evidence above; fix the harness error, or pass --bad a value that shows the failure"),
            (ProbeKind.BadEnd, ProbeVerdict.Good) => ("passes the checks: good and bad swapped?",
                "pass --bad a value that shows the failure (run it alone: kr run), or widen the checks (--checks) so they catch it"),
            _ => (null, ""),
        };
        if (what is not null)
        {
            throw new InconsistentEndsException($"the {(end == ProbeKind.GoodEnd ? "good" : "bad")} end (position {position + 1}) {what}", fix);
        }
    }
}
