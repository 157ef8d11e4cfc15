using KernelRegression.Evidence.Diagnosis;
using KernelRegression.Judging;
using KernelRegression.Tiers;

namespace KernelRegression.Evidence.Report;

/// <summary>What every report of a run is rendered from: the cells, their diagnoses, the tier's capabilities, and the run's header facts.</summary>
public sealed record RunView(string RunId, string Tier, IReadOnlyList<CellReport> Cells, TimeSpan Elapsed,
    IReadOnlyDictionary<string, CellDiagnosis> Diagnoses, IReadOnlyList<CapabilityRow> Capabilities)
{
    public int Count(Outcome outcome) => Cells.Count(c => c.Outcome == outcome);

    /// <summary>Cells that did not meet their expectation (harness errors first), each in run order.</summary>
    public IEnumerable<CellReport> NeedingAttention =>
        Outcomes.ReportOrder.Where(o => !o.MetExpectation()).SelectMany(o => Cells.Where(c => c.Outcome == o));

    public IEnumerable<CellReport> ExpectedFailures => Cells.Where(c => c.Outcome == Outcome.ExpectedFailure);

    public MatrixGrid Grid => MatrixGrid.Of(Cells);

    /// <summary>The Markdown mark: emoji, which GitHub renders everywhere.</summary>
    public static string Symbol(Outcome outcome) => outcome switch
    {
        Outcome.Passed => "✅",
        Outcome.Failed => "❌",
        Outcome.FailedOtherCause => "❌",
        Outcome.ExpectedFailure => "⚠️",
        Outcome.UnexpectedPass => "❗",
        Outcome.HarnessError => "🛠",
        _ => "⏭",
    };

    /// <summary>
    /// The HTML mark: plain symbols every system font has (a headless or server browser often has
    /// no emoji font and would draw empty boxes).
    /// </summary>
    public static string TextSymbol(Outcome outcome) => outcome switch
    {
        Outcome.Passed => "✓",
        Outcome.Failed or Outcome.FailedOtherCause => "✗",
        Outcome.ExpectedFailure => "⚠",
        Outcome.UnexpectedPass => "!",
        Outcome.HarnessError => "⚙",
        _ => "–",
    };
}
