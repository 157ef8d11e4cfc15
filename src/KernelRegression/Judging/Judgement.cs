using KernelRegression.Checks;

namespace KernelRegression.Judging;

/// <summary>
/// A cell's outcome and why, as the judge decided it: the one line a report shows, every check as judged
/// (a passed check whose step went over its budget is failed here, with the slow part named), the harness
/// errors shown beside a real failure, and the checks that did not run (never coverage).
/// </summary>
public sealed record Judgement(Outcome Outcome, string Why)
{
    /// <summary>What a report shows in one line: the deciding failure's cause, the harness error, the skip's reason, the unexpected pass; null for a plain pass.</summary>
    public string? Cause { get; init; }

    /// <summary>Every check as judged, in the cell's order.</summary>
    public IReadOnlyList<CheckOutcome> Checks { get; init; } = [];

    /// <summary>Checks that failed, as judged (budget overruns included).</summary>
    public IReadOnlyList<CheckOutcome> Failures => [.. Checks.Where(c => c.Verdict == Verdict.Failed)];

    /// <summary>Checks whose harness broke: the outcome when nothing failed for real, shown beside a real failure otherwise.</summary>
    public IReadOnlyList<CheckOutcome> HarnessErrors => [.. Checks.Where(c => c.Verdict == Verdict.HarnessError)];

    /// <summary>Checks that did not run here (the tier or machine cannot, with the reason).</summary>
    public IReadOnlyList<CheckOutcome> NotRun => [.. Checks.Where(c => c.Verdict == Verdict.Skipped)];

    /// <summary>Every check that ran passed (at least one did): a cell the diagnosis can compare a failing one with.</summary>
    public bool Clean => Checks.Any(c => c.Verdict == Verdict.Passed) && Checks.All(c => c.Verdict is Verdict.Passed or Verdict.Skipped);
}
