using KernelRegression.Checks;
using KernelRegression.Judging;
using KernelRegression.Logs;
using KernelRegression.Cells;

namespace KernelRegression.Diagnosis;

/// <summary>
/// For a failed cell: what differs from the closest passing cell of the same run, ranked by
/// <see cref="DiagnosisWeights"/>. Closest means fewest differing matrix axes, then fewest
/// differing facts, so the comparison isolates as few changes as the run allows.
/// </summary>
public static class Diagnostician
{
    /// <summary>At most this many log lines: past that they bury the facts and say little more.</summary>
    public const int MaxLogLines = 12;

    /// <summary>Diagnoses every cell the judge found a failed check in (failed or expected-failure), keyed by cell id.</summary>
    public static IReadOnlyDictionary<string, CellDiagnosis> Run(IReadOnlyList<CellReport> cells)
    {
        var passing = cells.Where(c => c.Judgement.Clean).Select(c => c.Result).ToList();
        return cells.Where(c => c.Judgement.Failures.Count > 0)
            .DistinctBy(c => c.Result.CellId)
            .ToDictionary(c => c.Result.CellId, c => Diagnose(c.Result, passing));
    }

    /// <param name="passing">The run's cells the judge found clean (every check that ran passed); the failing cell itself is passed over.</param>
    public static CellDiagnosis Diagnose(CellResult failing, IEnumerable<CellResult> passing)
    {
        var axes = CellAxes.Of(failing.Cell);
        var facts = FactsOf(failing);
        var closest = passing
            .Where(c => c.CellId != failing.CellId)
            .Select((c, order) => (Cell: c, Facts: FactsOf(c), order))
            .OrderBy(c => axes.Distance(CellAxes.Of(c.Cell.Cell)))
            .ThenBy(c => FactDifferences(facts, c.Facts).Count())
            .ThenBy(c => c.order)
            .FirstOrDefault();
        if (closest.Cell is null)
        {
            return new CellDiagnosis(failing.CellId, null, []);
        }
        var found = FactDifferences(facts, closest.Facts)
            .Concat(UniqueLogLines(failing, closest.Cell).Take(MaxLogLines))
            .Select((d, order) => (d.Points, order, d.Item))
            .OrderByDescending(d => d.Points).ThenBy(d => d.order)
            .Select((d, i) => d.Item with { Rank = i + 1 })
            .ToList();
        return new CellDiagnosis(failing.CellId, closest.Cell.CellId, found);
    }

    /// <summary>A cell's facts in the order the tier found them; a repeated key keeps the last value.</summary>
    private static OrderedDictionary<string, string> FactsOf(CellResult cell)
    {
        var facts = new OrderedDictionary<string, string>(StringComparer.Ordinal);
        foreach (var (k, v) in cell.Evidence.Facts())
        {
            facts[k] = v;
        }
        return facts;
    }

    private static IEnumerable<(int Points, DiagnosisItem Item)> FactDifferences(
        OrderedDictionary<string, string> failing, OrderedDictionary<string, string> passing)
    {
        foreach (var key in failing.Keys.Concat(passing.Keys.Where(k => !failing.ContainsKey(k))))
        {
            var f = failing.GetValueOrDefault(key);
            var p = passing.GetValueOrDefault(key);
            if (Comparable(key, f, failing) == Comparable(key, p, passing))
            {
                continue;
            }
            var weight = DiagnosisWeights.ForFact(key);
            // Evidence missing from the failing cell (no kernel pid: the kernel was already gone) is
            // usually a consequence of the failure, not its cause: it must not outrank what is there.
            var points = f is null ? weight.Points / 10 : weight.Points;
            yield return (points, new DiagnosisItem(0, weight.Kind, key, Shown(key, f, failing), Shown(key, p, passing), weight.Why));
        }
    }

    /// <summary>
    /// The value as compared. A pid as such differs in every run; what matters is its role: PID 1,
    /// no parent (0), the server itself, or just another process. Other values lose their
    /// per-run noise (ids, ports) the same way log lines do.
    /// </summary>
    private static string? Comparable(string key, string? value, OrderedDictionary<string, string> facts) =>
        value is null ? null
        : IsPid(key) ? Role(key, value, facts)
        : LogLineShape.Of(value);

    private static string? Shown(string key, string? value, OrderedDictionary<string, string> facts) =>
        value is null ? null
        : IsPid(key) && Role(key, value, facts) is "PID 1" or "the server" ? $"{value} ({Role(key, value, facts)})"
        : Secrets.Redact(value);

    private static bool IsPid(string key) =>
        key.StartsWith("proc.", StringComparison.Ordinal) && (key.EndsWith(".pid", StringComparison.Ordinal) || key.EndsWith(".ppid", StringComparison.Ordinal));

    private static string Role(string key, string value, OrderedDictionary<string, string> facts) => value switch
    {
        "1" => "PID 1",
        "0" => "no parent",
        _ when key != "proc.server.pid" && facts.GetValueOrDefault("proc.server.pid") == value => "the server",
        _ => "another process",
    };

    private static IEnumerable<(int Points, DiagnosisItem Item)> UniqueLogLines(CellResult failing, CellResult passing)
    {
        const string log = "server-log";
        var seen = Lines(passing.Evidence.ServerLog).Select(LogLineShape.Of).ToHashSet(StringComparer.Ordinal);
        return Lines(failing.Evidence.ServerLog)
            .Select(line => (Line: line, Shape: LogLineShape.Of(line)))
            .Where(l => l.Shape.Length > 0 && seen.Add(l.Shape))
            .Select((l, order) => (l.Line, Weight: DiagnosisWeights.ForLogLine(l.Shape), order))
            // The strongest lines survive the cap, and keep the order they were printed in.
            .OrderByDescending(l => l.Weight.Points).ThenBy(l => l.order)
            .Select(l => (l.Weight.Points, new DiagnosisItem(0, l.Weight.Kind, log, Clip(Secrets.Redact(CauseFinder.StripAnsi(l.Line).Trim())), null, l.Weight.Why)));
    }

    // Debug lines are the server's chatter: they differ in every run and explain nothing.
    private static IEnumerable<string> Lines(IEnumerable<string> lines) =>
        lines.Where(l => !string.IsNullOrWhiteSpace(l) && !CauseFinder.StripAnsi(l).StartsWith("[D ", StringComparison.Ordinal));

    private static string Clip(string s) => s.Length > 300 ? s[..300] + "…" : s;
}
