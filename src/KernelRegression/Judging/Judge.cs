using KernelRegression.Checks;
using KernelRegression.Matrix;
using KernelRegression.Cells;

namespace KernelRegression.Judging;

/// <summary>
/// The one judge: decides a cell's outcome from what the matrix expected and what the run saw, and
/// words it. The xUnit theories, `kr run`, `kr bisect`, `kr check-change`, the fault rows and every
/// report go through here (the partial files beside this one hold the run's, a bisect probe's, a change's
/// and a fault's judgements). A known-bad cell counts as caught only when its cause carries the expected
/// words; a harness error is never a verdict on the deployment, and never hides a real failure beside it;
/// a skipped check is never coverage.
/// </summary>
public static partial class Judge
{
    public static Judgement Decide(CellResult result) => Decide(result.Cell.Expected, result);

    public static Judgement Decide(Expectation expected, CellResult result)
    {
        // Budgets first: a passed check whose step went over its budget failed, with the slow part named.
        var checks = BudgetOverruns.Judged(result.Checks, result.Latency);
        var failed = checks.FirstOrDefault(c => c.Verdict == Verdict.Failed)
            ?? checks.FirstOrDefault(c => c.Verdict == Verdict.NotAttempted && !checks.Any(h => h.Verdict == Verdict.HarnessError));
        var harness = checks.Where(c => c.Verdict == Verdict.HarnessError).ToList();
        var notRun = checks.Where(c => c.Verdict == Verdict.Skipped).ToList();
        Judgement Judged(Outcome outcome, string why, string? cause) =>
            new(outcome, failed is null ? why : why + Beside(harness)) { Cause = cause, Checks = checks };

        if (checks.Count == 0)
        {
            return Judged(Outcome.HarnessError, "the harness failed: the cell ran no check (it named none)", "no check ran");
        }
        if (failed is null && harness.Count > 0)
        {
            return Judged(Outcome.HarnessError, $"the harness failed: {harness[0].Cause}", harness[0].Cause);
        }
        if (failed is null && !checks.Any(c => c.Verdict == Verdict.Passed))
        {
            var reason = NotRun(notRun);
            return Judged(Outcome.Skipped, expected.ExpectFailure ? $"known-bad ({expected.Reason}), but nothing ran to show it: {reason}" : $"nothing ran: {reason}",
                notRun[0].Cause);
        }
        if (!expected.ExpectFailure)
        {
            return failed is not null ? Judged(Outcome.Failed, failed.Cause!, failed.Cause)
                : notRun.Count == 0 ? Judged(Outcome.Passed, "every check passed", null)
                : Judged(Outcome.Passed, $"every check that ran passed; not run: {NotRun(notRun)}", $"not run: {NotRun(notRun)}");
        }
        if (failed is null)
        {
            // The check that did not run may be the very one that catches the bug: not a pass, not caught.
            return notRun.Count > 0
                ? Judged(Outcome.Skipped, $"known-bad ({expected.Reason}), but the checks that ran passed and {NotRun(notRun)} did not run: nothing shows whether it is still caught",
                    $"not run: {NotRun(notRun)}")
                : UnexpectedPass(expected, checks);
        }
        var cause = failed.Cause ?? "";
        return Caught(expected, cause)
            ? Judged(Outcome.ExpectedFailure, $"still caught: {expected.Reason}", cause)
            : Judged(Outcome.FailedOtherCause, $"known-bad ({expected.Reason}), but it failed for another cause: expected a cause containing «{expected.CauseContains}», got «{cause}»", cause);
    }

    /// <summary>The words of a known-bad cell that passed: the same in every report, the console and the JSON.</summary>
    private static Judgement UnexpectedPass(Expectation expected, IReadOnlyList<CheckOutcome> checks)
    {
        var why = $"known-bad ({expected.Reason}), but every check passed: fixed upstream, or no longer caught";
        return new Judgement(Outcome.UnexpectedPass, why) { Cause = why, Checks = checks };
    }

    /// <summary>A known-bad cell is caught only when its cause carries the rule's words; blank words catch nothing.</summary>
    private static bool Caught(Expectation expected, string cause) =>
        !string.IsNullOrWhiteSpace(expected.CauseContains) && cause.Contains(expected.CauseContains, StringComparison.Ordinal);

    private static string NotRun(IEnumerable<CheckOutcome> skipped) => string.Join(", ", skipped.Select(c => $"{c.Check} ({c.Cause})"));

    /// <summary>Harness errors beside a real failure: said, never hiding it.</summary>
    private static string Beside(List<CheckOutcome> harness) =>
        harness.Count == 0 ? "" : "; harness error beside it: " + string.Join("; ", harness.Select(h => $"{h.Check}: {h.Cause}"));
}
