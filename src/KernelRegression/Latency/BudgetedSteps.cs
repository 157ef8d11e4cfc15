using KernelRegression.Checks;

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
    public static CellResult Measure(CellResult result, IReadOnlyList<ICheck> checks, LatencyTrace trace, double? scale = null)
    {
        var evidence = trace.Steps.Count > 0 ? result.Evidence with { Steps = trace.Steps } : result.Evidence;
        var budgets = result.Cell.Budgets;
        var verdicts = MeasuredSteps.Of(evidence.Steps).Select(m =>
        {
            var owner = StepOwners.Of(m.Step, checks, result.Checks);
            // A step whose check failed on its own is a time to that failure, not a latency.
            var completed = owner is null || result.Checks.First(c => c.Check == owner).Passed;
            var v = new StepVerdict(m.Step, m.Value, m.Samples, budgets[m.Step], budgets.Limit(m.Step, scale), owner, completed) { Mode = m.Mode };
            v = v with { Why = SlowPart.Detail(v, evidence, trace) };
            return v.Over ? v with { Explained = SlowPart.Explain(v, evidence, trace, scale) } : v;
        }).ToList();
        return result with { Evidence = evidence, Latency = new CellLatency(verdicts) };
    }
}
