using KernelRegression.Checks;
using KernelRegression.Latency;

namespace KernelRegression.Judging;

/// <summary>
/// Slow is broken too: a check that passed but whose step went over its budget is judged failed, with
/// the slow part named (Latency/ measured the steps and said where their time went; only the judge
/// decides). A check that already failed keeps its own cause (the functional failure says more);
/// not-attempted, skipped and harness errors are left as they are.
/// </summary>
public static class BudgetOverruns
{
    public static IReadOnlyList<CheckOutcome> Judged(IReadOnlyList<CheckOutcome> observed, CellLatency? latency)
    {
        var over = (latency?.OverBudget ?? []).Where(v => v.Owner is not null)
            .GroupBy(v => v.Owner!)
            .ToDictionary(g => g.Key, g => g.OrderBy(v => v.Step.Order).ToList());
        return [.. observed.Select(o => o.Verdict == Verdict.Passed && over.TryGetValue(o.Check, out var steps)
            ? CheckOutcome.Fail(o.Check, o.Duration, Cause(steps), $"passed, but over budget ({o.Detail})")
            : o)];
    }

    /// <summary>The first step over budget explained in full; any other of the same check named after it.</summary>
    private static string Cause(List<StepVerdict> over)
    {
        var first = over[0].Explained ?? $"{over[0].Step.Label} took {Format.Duration(over[0].Measured)} (budget {Format.Duration(over[0].Limit!.Value)})";
        return over.Count == 1 ? first
            : first + "; also over budget: " + string.Join(", ", over.Skip(1).Select(v => $"{v.Step.Label} {Format.Duration(v.Measured)} (budget {Format.Duration(v.Limit!.Value)})"));
    }
}
