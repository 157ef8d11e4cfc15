using KernelRegression.Checks;
using KernelRegression.Matrix;

namespace KernelRegression.Judging;

/// <summary>A cell's result, judged against what the matrix expected of it.</summary>
public sealed record CellReport(CellResult Result)
{
    private Judgement? _judgement;

    public Judgement Judgement => _judgement ??= Judge.Decide(Result);
    public Outcome Outcome => Judgement.Outcome;
    public Expectation Expected => Result.Cell.Expected;
    public bool MetExpectation => Outcome.MetExpectation();

    /// <summary>What a report shows in one line: the skip reason, the failure's cause, or why a known-bad cell does not count.</summary>
    public string? OneLineCause => Outcome switch
    {
        Outcome.Skipped => Result.Checks is [var first, ..] ? first.Cause : null,
        Outcome.UnexpectedPass => $"expected to fail: {Expected.Reason}",
        _ => Result.Cause,
    };
}
