using System.Text;
using KernelRegression.Judging;

namespace KernelRegression.Reports;

/// <summary>
/// Flake accounting over repeated runs of the same cells: per cell, how many runs met the expected
/// outcome. A cell that met it only sometimes is flaky, and a flaky cell is never reported as passed.
/// </summary>
public sealed class RepeatTally
{
    private readonly Dictionary<string, List<CellReport>> _runs = [];

    public int Iterations { get; private set; }

    public void Add(IEnumerable<CellReport> iteration)
    {
        Iterations++;
        foreach (var c in iteration)
        {
            if (!_runs.TryGetValue(c.Result.CellId, out var list))
            {
                _runs[c.Result.CellId] = list = [];
            }
            list.Add(c);
        }
    }

    public IReadOnlyList<(string CellId, int Met, int Runs, string Verdict, string? LastCause)> Cells =>
        _runs.Select(r =>
        {
            var met = r.Value.Count(c => c.MetExpectation);
            var verdict = met == r.Value.Count ? "stable" : met == 0 ? "failed" : "flaky";
            return (r.Key, met, r.Value.Count, verdict, r.Value.LastOrDefault(c => !c.MetExpectation)?.OneLineCause);
        }).OrderBy(c => c.Key, StringComparer.Ordinal).ToList();

    /// <summary>repeat.md in the run's folder.</summary>
    public void Write(string folder) => File.WriteAllText(Path.Combine(folder, "repeat.md"), Markdown());

    public string Markdown()
    {
        var sb = new StringBuilder($"# Repeat summary: {Iterations} runs\n\n| cell | met expectation | verdict | a failing run's cause |\n|---|---|---|---|\n");
        foreach (var c in Cells)
        {
            sb.Append($"| {c.CellId} | {c.Met}/{c.Runs} | {c.Verdict} | {ReportText.Inline(c.LastCause)} |\n");
        }
        return Secrets.Redact(sb.ToString());
    }
}
