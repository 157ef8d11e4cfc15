using KernelRegression.Checks;
using KernelRegression.Matrix;

namespace KernelRegression.Judging;

/// <summary>A cell's outcome and, where it is not plain, why.</summary>
public sealed record Judgement(Outcome Outcome, string Why);

/// <summary>
/// The one judge: decides a cell's outcome from what the matrix expected and what the run saw. The
/// xUnit theories, `kr run`, `kr bisect`, `kr check-change` and every report go through here. A
/// known-bad cell counts as caught only when its cause carries the expected words; a harness error
/// is never a verdict on the deployment.
/// </summary>
public static class Judge
{
    public static Judgement Decide(Expectation expected, CellResult result)
    {
        if (result.HarnessFailed)
        {
            return new(Outcome.HarnessError, $"the harness failed: {result.Cause}");
        }
        if (result.Skipped)
        {
            return new(Outcome.Skipped, result.Checks[0].Cause ?? "skipped");
        }
        if (!expected.ExpectFailure)
        {
            return result.Passed
                ? new(Outcome.Passed, "every check passed")
                : new(Outcome.Failed, result.Cause ?? Describe(result));
        }
        if (result.Passed)
        {
            return new(Outcome.UnexpectedPass, $"known-bad ({expected.Reason}) but every check passed: fixed upstream, or no longer caught");
        }
        var cause = result.Cause ?? "";
        return cause.Contains(expected.CauseContains, StringComparison.Ordinal)
            ? new(Outcome.ExpectedFailure, $"still caught: {expected.Reason}")
            : new(Outcome.FailedOtherCause, $"known-bad cell failed for another reason: expected a cause containing «{expected.CauseContains}», got «{(cause.Length > 0 ? cause : Describe(result))}»");
    }

    public static Judgement Decide(CellResult result) => Decide(result.Cell.Expected, result);

    private static string Describe(CellResult r) =>
        string.Join("; ", r.Checks.Where(c => c.Verdict != Verdict.Passed).Select(c => $"{c.Check} {c.Verdict}"));
}
