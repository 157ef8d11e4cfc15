using KernelRegression.Matrix;

namespace KernelRegression.Latency;

/// <summary>
/// One budgeted step of a cell: what it measured, its budget and limit (scaled), and the check that answers
/// for it. A step whose check failed on its own (a kernel that died at start) did not complete: its time is
/// the time to that failure, not a latency, so it is neither judged nor kept in the history.
/// </summary>
public sealed record StepVerdict(BudgetStep Step, TimeSpan Measured, int Samples, StepBudget? Budget, TimeSpan? Limit, string? Owner, bool Completed = true)
{
    public bool Over => Completed && Limit is { } limit && Measured > limit;

    /// <summary>The path the step took where there are two (<see cref="StepMeasure.Mode"/>).</summary>
    public string? Mode { get; init; }

    /// <summary>Where its time went, as far as the evidence tells (<see cref="SlowPart.Detail"/>): a flag names the slow part too.</summary>
    public string? Why { get; init; }

    /// <summary>Over budget: the step, its budget and its slow part in full (<see cref="SlowPart.Explain"/>), the cause the judge gives its check.</summary>
    public string? Explained { get; init; }

    /// <summary>measured / limit (NaN without a budget).</summary>
    public double Ratio => Limit is { } limit && limit > TimeSpan.Zero ? Measured / limit : double.NaN;
}

/// <summary>A step that took much longer than its cell usually takes (see <see cref="BaselineDoc"/>).</summary>
public sealed record SlowerThanUsual(string CellId, BudgetStep Step, TimeSpan Measured, TimeSpan Median, int Runs)
{
    public double Factor => Median > TimeSpan.Zero ? Measured / Median : double.PositiveInfinity;

    /// <summary>The step's slow part, from its verdict.</summary>
    public string? Why { get; init; }

    public override string ToString() =>
        $"{Step.Label} {Format.Duration(Measured)}: slower than usual ({Factor:0.0}× the median {Format.Duration(Median)} of the last {Runs} runs)"
        + (Why is null ? "" : ": " + Why);
}

/// <summary>
/// What the budgets said about a cell: every budgeted step against its limit, and, once the run is
/// compared with the history, the steps slower than usual and the cell's recent runs (for the chart).
/// </summary>
public sealed record CellLatency(IReadOnlyList<StepVerdict> Steps)
{
    public IReadOnlyList<SlowerThanUsual> SlowerThanUsual { get; init; } = [];

    /// <summary>The cell's earlier runs from the history, oldest first (this run not included).</summary>
    public IReadOnlyList<HistoryEntry> Recent { get; init; } = [];

    public IEnumerable<StepVerdict> OverBudget => Steps.Where(s => s.Over);

    public StepVerdict? this[BudgetStep step] => Steps.FirstOrDefault(s => s.Step == step);
}
