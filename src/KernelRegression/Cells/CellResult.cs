using KernelRegression.Checks;
using KernelRegression.Evidence;
using KernelRegression.Latency;
using KernelRegression.Matrix;

namespace KernelRegression.Cells;

/// <summary>
/// Everything one cell's run produced: the cell, each check's verdict as observed, and the typed evidence.
/// What it means is the judge's (Judging/Judge): budgets, harness errors beside failures, skips.
/// </summary>
public sealed record CellResult(MatrixCell Cell, IReadOnlyList<CheckOutcome> Checks, CellEvidence Evidence)
{
    public string CellId => Cell.Id;

    /// <summary>Every budgeted step against its budget, and how it compares with the cell's history (Latency/); null where nothing was measured.</summary>
    public CellLatency? Latency { get; init; }

    /// <summary>This result with its steps measured against the cell's budgets (<see cref="BudgetedSteps"/>): what an overrun means is the judge's.</summary>
    public CellResult MeasuredAgainstBudgets(IReadOnlyList<ICheck> checks, LatencyTrace trace, double? scale = null)
    {
        var (evidence, latency) = BudgetedSteps.Measure(Cell.Budgets, Checks, Evidence, checks, trace, scale);
        return this with { Evidence = evidence, Latency = latency };
    }

    /// <summary>A cell the harness could not even set up (its image, its hub): every check is a harness error with that cause.</summary>
    public static CellResult HarnessFailure(MatrixCell cell, IEnumerable<string> checks, string cause, string detail) =>
        new(cell, checks.Select(c => CheckOutcome.HarnessError(c, TimeSpan.Zero, cause, detail)).ToList(), CellEvidence.Empty with { Tier = cell.Tier });
}
