using System.Text.Json;
using System.Text.Json.Serialization;
using KernelRegression.Matrix;

namespace KernelRegression.Latency;

/// <summary>One cell's budgeted steps in one run, as a line of the history (milliseconds by step name).</summary>
public sealed record HistoryEntry(
    [property: JsonPropertyName("run")] string Run,
    [property: JsonPropertyName("at")] DateTimeOffset At,
    [property: JsonPropertyName("cell")] string Cell,
    [property: JsonPropertyName("outcome")] string Outcome,
    [property: JsonPropertyName("steps")] IReadOnlyDictionary<string, double> StepsMs)
{
    /// <summary>The path a step took where there are two (a restart that reconnected); absent: the usual path.</summary>
    [JsonPropertyName("modes")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public IReadOnlyDictionary<string, string>? Modes { get; init; }

    public string? ModeOf(BudgetStep step) => Modes?.GetValueOrDefault(step.Name);

    /// <summary>Whether the run met the cell's expectation: only those make a baseline (a crash's fast failure is not a usual time).</summary>
    public bool Usual => Outcome is "passed" or "expected-failure";

    public TimeSpan? this[BudgetStep step] => StepsMs.TryGetValue(step.Name, out var ms) ? TimeSpan.FromMilliseconds(ms) : null;
}

/// <summary>
/// The step history: JSON lines, one per cell per run, appended by every `kr run` to
/// <c>DIR/steps.jsonl</c> (DIR: --history, KR_HISTORY, default artifacts/history), so CI can keep the
/// folder between runs (a cache) and compare each run with the cells' recent ones. A line that does not
/// parse (a file cut short) is skipped, never fatal.
/// </summary>
public sealed class StepHistory(string folder)
{
    public const string FileName = "steps.jsonl";

    private static readonly JsonSerializerOptions Json = new() { WriteIndented = false };

    public string Folder { get; } = folder;
    public string FilePath => Path.Combine(Folder, FileName);

    public IReadOnlyList<HistoryEntry> Read()
    {
        if (!File.Exists(FilePath))
        {
            return [];
        }
        var entries = new List<HistoryEntry>();
        foreach (var line in File.ReadLines(FilePath).Where(l => l.Length > 0))
        {
            try
            {
                if (JsonSerializer.Deserialize<HistoryEntry>(line, Json) is { Cell: not null, StepsMs: not null } e)
                {
                    entries.Add(e);
                }
            }
            catch (JsonException)
            {
                // A torn last line (a run killed mid-write): the rest still counts.
            }
        }
        return entries;
    }

    /// <summary>Appends a run's entries in one write (a concurrent run's lines stay whole).</summary>
    public void Append(IEnumerable<HistoryEntry> entries)
    {
        var text = string.Concat(entries.Select(e => JsonSerializer.Serialize(e, Json) + "\n"));
        if (text.Length == 0)
        {
            return;
        }
        Directory.CreateDirectory(Folder);
        File.AppendAllText(FilePath, text);
    }
}
