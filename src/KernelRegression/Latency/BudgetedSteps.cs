using KernelRegression.Checks;
using KernelRegression.Evidence;
using KernelRegression.Matrix;

namespace KernelRegression.Latency;

/// <summary>
/// Measures a finished cell's steps against its budgets: every budgeted step with its limit (scaled), the
/// check that answers for it (<see cref="StepOwners"/>), where its time went (<see cref="SlowPart"/>), and
/// for a step over budget the full explanation a failure would give. It never changes what a check saw:
/// the judge (Judging/BudgetOverruns) decides what an overrun means. The cell's evidence gets the steps
/// recorded after its collection (the server stop).
/// </summary>
public static class BudgetedSteps
{
    /// <param name="outcomes">What each check saw: a step whose check failed is not judged as a latency.</param>
    /// <returns>The evidence with the steps recorded after its collection, and each step against its budget.</returns>
    public static (CellEvidence Evidence, CellLatency Latency) Measure(StepBudgets budgets, IReadOnlyList<CheckOutcome> outcomes, CellEvidence collected,
        IReadOnlyList<ICheck> checks, LatencyTrace trace, double? scale = null)
    {
        var evidence = trace.Steps.Count > 0 ? collected with { Steps = trace.Steps } : collected;
        var verdicts = MeasuredSteps.Of(evidence.Steps).Select(m =>
        {
            var owner = StepOwners.Of(m.Step, checks, outcomes);
            // A step whose check failed on its own is a time to that failure, not a latency.
            var completed = owner is null || outcomes.First(c => c.Check == owner).Passed;
            var v = new StepVerdict(m.Step, m.Value, m.Samples, budgets[m.Step], budgets.Limit(m.Step, scale), owner, completed) { Mode = m.Mode };
            v = v with { Why = SlowPart.Detail(v, evidence, trace) };
            return v.Over ? v with { Explained = SlowPart.Explain(v, evidence, trace, scale) } : v;
        }).ToList();
        return (evidence, new CellLatency(verdicts));
    }
}
