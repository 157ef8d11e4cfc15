using KernelRegression.Checks;
using KernelRegression.Matrix;
using KernelRegression.Cells;

namespace KernelRegression.Judging;

/// <summary>A cell's result, judged against what the matrix expected of it.</summary>
public sealed record CellReport(CellResult Result)
{
    private Judgement? _judgement;

    /// <summary>A copy judges its own result afresh (a `with` may change it).</summary>
    private CellReport(CellReport original) => Result = original.Result;

    public Judgement Judgement => _judgement ??= Judge.Decide(Result);
    public Outcome Outcome => Judgement.Outcome;
    public Expectation Expected => Result.Cell.Expected;
    public bool MetExpectation => Outcome.MetExpectation();

    /// <summary>What a report shows in one line: the failure's cause, the skip's reason, the harness error, or the unexpected pass (the judge's words).</summary>
    public string? OneLineCause => Judgement.Cause;
}
