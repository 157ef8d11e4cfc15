using KernelRegression.Checks;

namespace KernelRegression.Latency;

/// <summary>
/// Judges a finished cell's steps against its budgets. A check that passed but whose step went over its
/// budget becomes Failed, with a cause that names the slow part (<see cref="SlowPart"/>): to a student a
/// kernel that answers after a minute is broken too. A check that already failed keeps its own cause
/// (the functional failure says more); not-attempted, skipped and harness errors are left alone. The
/// judge (Judging/Judge) then treats a budget failure as any failure. The cell's evidence gets the steps
/// recorded after its collection (the server stop), and the result the verdict of every step for the reports.
/// </summary>
public static class StepBudgetJudge
{
    public static CellResult Apply(CellResult result, IReadOnlyList<ICheck> checks, LatencyTrace trace, double? scale = null)
    {
        var evidence = trace.Steps.Count > 0 ? result.Evidence with { Steps = trace.Steps } : result.Evidence;
        var budgets = result.Cell.Budgets;
        var verdicts = MeasuredSteps.Of(evidence.Steps).Select(m =>
        {
            var owner = StepOwners.Of(m.Step, checks, result.Checks);
            var completed = owner is null || result.Checks.First(c => c.Check == owner).Verdict == Verdict.Passed;
            var v = new StepVerdict(m.Step, m.Value, m.Samples, budgets[m.Step], budgets.Limit(m.Step, scale), owner, completed) { Mode = m.Mode };
            return v with { Why = SlowPart.Detail(v, evidence, trace) };
        }).ToList();
        var causes = verdicts.Where(v => v.Over && v.Owner is not null)
            .GroupBy(v => v.Owner!)
            .ToDictionary(g => g.Key, g => Cause([.. g.OrderBy(v => v.Step.Order)], evidence, trace, scale));
        var outcomes = result.Checks.Select(o => o.Verdict == Verdict.Passed && causes.TryGetValue(o.Check, out var cause)
            ? CheckOutcome.Fail(o.Check, o.Duration, cause, $"passed, but over budget ({o.Detail})")
            : o).ToList();
        return result with { Checks = outcomes, Evidence = evidence, Latency = new CellLatency(verdicts) };
    }

    /// <summary>The first step over budget explained in full; any other of the same check named after it.</summary>
    private static string Cause(IReadOnlyList<StepVerdict> over, Evidence.CellEvidence evidence, LatencyTrace trace, double? scale)
    {
        var cause = SlowPart.Explain(over[0], evidence, trace, scale);
        return over.Count == 1 ? cause
            : cause + "; also over budget: " + string.Join(", ", over.Skip(1).Select(v => $"{v.Step.Label} {Format.Duration(v.Measured)} (budget {Format.Duration(v.Limit!.Value)})"));
    }
}
