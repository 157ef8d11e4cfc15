using KernelRegression.Diagnosis;
using KernelRegression.Judging;
using KernelRegression.Tiers;

namespace KernelRegression.Reports;

/// <summary>What every report of a run is rendered from: the cells, their diagnoses, the tier's capabilities, and the run's header facts.</summary>
public sealed record RunView(string RunId, string Tier, IReadOnlyList<CellReport> Cells, TimeSpan Elapsed,
    IReadOnlyDictionary<string, CellDiagnosis> Diagnoses, IReadOnlyList<CapabilityRow> Capabilities)
{
    public int Count(Outcome outcome) => Cells.Count(c => c.Outcome == outcome);

    /// <summary>Cells that did not meet their expectation (harness errors first), each in run order.</summary>
    public IEnumerable<CellReport> NeedingAttention =>
        Outcomes.ReportOrder.Where(o => !o.MetExpectation()).SelectMany(o => Cells.Where(c => c.Outcome == o));

    /// <summary>Known-bad cells still caught: they met their expectation by failing with its cause.</summary>
    public IEnumerable<CellReport> ExpectedFailures => Cells.Where(c => c.MetExpectation && c.Judgement.Failures.Count > 0);

    public MatrixGrid Grid => MatrixGrid.Of(Cells);
}
