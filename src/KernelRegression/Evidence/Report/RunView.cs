using KernelRegression.Evidence.Diagnosis;

namespace KernelRegression.Evidence.Report;

/// <summary>What every report of a run is rendered from: the cells, their diagnoses, and the run's header facts.</summary>
public sealed record RunView(string RunId, string Tier, IReadOnlyList<CellReport> Cells, TimeSpan Elapsed,
    IReadOnlyDictionary<string, CellDiagnosis> Diagnoses)
{
    /// <summary>Outcomes in the order reports list them: what needs a human first.</summary>
    public static readonly IReadOnlyList<string> Outcomes = ["failed", "unexpected-pass", "expected-failure", "skipped", "passed"];

    public int Count(string outcome) => Cells.Count(c => c.Outcome == outcome);

    /// <summary>Cells that did not meet their expectation first, then expected failures, each in run order.</summary>
    public IEnumerable<CellReport> NeedingAttention => Cells.Where(c => c.Outcome is "failed" or "unexpected-pass");

    public IEnumerable<CellReport> ExpectedFailures => Cells.Where(c => c.Outcome == "expected-failure");

    public MatrixGrid Grid => MatrixGrid.Of(Cells);

    public static string Label(string outcome) => outcome switch
    {
        "passed" => "passed",
        "failed" => "failed",
        "expected-failure" => "expected failure",
        "unexpected-pass" => "unexpected pass",
        _ => "skipped",
    };

    /// <summary>The Markdown mark: emoji, which GitHub renders everywhere.</summary>
    public static string Symbol(string outcome) => outcome switch
    {
        "passed" => "✅",
        "failed" => "❌",
        "expected-failure" => "⚠️",
        "unexpected-pass" => "❗",
        _ => "⏭",
    };

    /// <summary>
    /// The HTML mark: plain symbols every system font has (a headless or server browser often has
    /// no emoji font and would draw empty boxes).
    /// </summary>
    public static string TextSymbol(string outcome) => outcome switch
    {
        "passed" => "✓",
        "failed" => "✗",
        "expected-failure" => "⚠",
        "unexpected-pass" => "!",
        _ => "–",
    };
}
