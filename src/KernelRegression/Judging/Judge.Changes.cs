namespace KernelRegression.Judging;

/// <summary>What a deployment change did to one cell.</summary>
public enum ChangeVerdict
{
    /// <summary>The head does not fail where the base did not (or the failure was there already).</summary>
    NotWorse,
    /// <summary>The head fails for real where the base did not (or the cell is new and fails).</summary>
    Worse,
    /// <summary>Nothing can be said: the harness broke on a side, or nothing ran at the head.</summary>
    NoVerdict,
}

public static partial class Judge
{
    /// <summary>
    /// One cell at a change's base and head (null: not there). Worse when the head fails for real and the
    /// base did not: a real failure at the head is never hidden by a harness error on either side.
    /// </summary>
    public static ChangeVerdict Change(CellReport? @base, CellReport? head) =>
        head is not null && head.Outcome.IsRealFailure() && @base?.Outcome.IsRealFailure() != true ? ChangeVerdict.Worse
        : head is not null && (head.Outcome == Outcome.Skipped || head.Judgement.HarnessErrors.Count > 0 || @base?.Judgement.HarnessErrors.Count > 0) ? ChangeVerdict.NoVerdict
        : ChangeVerdict.NotWorse;

    /// <summary>A change exits 1 when a cell got worse (harness errors elsewhere said beside it), 3 when a cell has no verdict, else 0.</summary>
    public static RunJudgement Change(IReadOnlyList<ChangeVerdict> cells) =>
        cells.Contains(ChangeVerdict.Worse) ? new(RunVerdict.NotMet, $"{cells.Count(c => c == ChangeVerdict.Worse)} cell(s) worse at the head")
        : cells.Contains(ChangeVerdict.NoVerdict) ? new(RunVerdict.HarnessError, "no verdict on some cell (the harness broke, or nothing ran at the head); nothing else got worse")
        : new(RunVerdict.AllMet, "nothing got worse");
}
