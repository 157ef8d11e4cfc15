using KernelRegression.Judging;

namespace KernelRegression.Deployments;

/// <summary>One cell of a change: its report at the base and at the head (null: the cell does not exist there).</summary>
public sealed record CellComparison(string Key, CellReport? Base, CellReport? Head)
{
    /// <summary>The head breaks what the base passes, or adds a cell that fails.</summary>
    public bool Worse => Head is { Outcome: not Outcome.Passed and not Outcome.HarnessError } && Base is null or { Outcome: Outcome.Passed };

    public override string ToString() => (Base, Head) switch
    {
        (null, { } h) => $"{Key}: new at the head, {h.Outcome.Label()}{(h.Result.Cause is { } c ? $": {c}" : "")}",
        ({ } b, null) => $"{Key}: gone at the head (was {b.Outcome.Label()})",
        ({ } b, { } h) => $"{Key}: {b.Outcome.Label()} → {h.Outcome.Label()}{(h.Result.Cause is { } c && h.Outcome != Outcome.Passed ? $": {c}" : "")}",
        _ => Key,
    };
}

/// <summary>
/// A deployment change judged cell by cell (matched by their values key, tier and hub): it is worse when the
/// head breaks a cell the base passes (or adds a failing one). A harness error on either side is no verdict.
/// </summary>
public sealed record ChangeCheck(DeploymentRun Base, DeploymentRun Head, IReadOnlyList<CellComparison> Cells)
{
    public IEnumerable<CellComparison> Worse => Cells.Where(c => c.Worse);
    public bool HarnessFailed => Base.HarnessFailed || Head.HarnessFailed;

    public static ChangeCheck Of(DeploymentRun @base, DeploymentRun head)
    {
        static string Key(CellReport r) => $"{r.Result.Cell.Tier}/hub-{r.Result.Cell.Hub.Name}/{r.Result.Cell.Profile}";
        var b = @base.Cells.ToDictionary(Key);
        var h = head.Cells.ToDictionary(Key);
        var keys = b.Keys.Concat(h.Keys.Where(k => !b.ContainsKey(k))).ToList();
        return new ChangeCheck(@base, head, [.. keys.Select(k => new CellComparison(k, b.GetValueOrDefault(k), h.GetValueOrDefault(k)))]);
    }
}
