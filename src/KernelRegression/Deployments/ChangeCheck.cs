using KernelRegression.Judging;

namespace KernelRegression.Deployments;

/// <summary>One cell of a change: its report at the base and at the head (null: the cell does not exist there), judged by the judge.</summary>
public sealed record CellComparison(string Key, CellReport? Base, CellReport? Head)
{
    public ChangeVerdict Verdict => Judge.Change(Base, Head);

    /// <summary>The head breaks what the base does not (or adds a cell that fails).</summary>
    public bool Worse => Verdict == ChangeVerdict.Worse;

    public override string ToString() => (Base, Head) switch
    {
        (null, { } h) => $"{Key}: new at the head, {h.Outcome.Label()}{Cause(h)}",
        ({ } b, null) => $"{Key}: gone at the head (was {b.Outcome.Label()})",
        ({ } b, { } h) => $"{Key}: {b.Outcome.Label()} → {h.Outcome.Label()}{Cause(h)}",
        _ => Key,
    };

    private static string Cause(CellReport r) => r.OneLineCause is { } c ? $": {c}" : "";
}

/// <summary>
/// A deployment change judged cell by cell (matched by their values key, tier and hub): it is worse when the
/// head breaks a cell the base does not fail (or adds a failing one). A harness error is no verdict, and
/// never hides a cell that got worse.
/// </summary>
public sealed record ChangeCheck(DeploymentRun Base, DeploymentRun Head, IReadOnlyList<CellComparison> Cells)
{
    public IEnumerable<CellComparison> Worse => Cells.Where(c => c.Worse);

    /// <summary>What the change means, for `kr check-change`'s exit code.</summary>
    public RunJudgement Judgement => Judge.Change([.. Cells.Select(c => c.Verdict)]);

    public static ChangeCheck Of(DeploymentRun @base, DeploymentRun head)
    {
        static string Key(CellReport r) => $"{r.Result.Cell.Tier}/hub-{r.Result.Cell.Hub.Name}/{r.Result.Cell.Profile}";
        var b = @base.Cells.ToDictionary(Key);
        var h = head.Cells.ToDictionary(Key);
        var keys = b.Keys.Concat(h.Keys.Where(k => !b.ContainsKey(k))).ToList();
        return new ChangeCheck(@base, head, [.. keys.Select(k => new CellComparison(k, b.GetValueOrDefault(k), h.GetValueOrDefault(k)))]);
    }
}
