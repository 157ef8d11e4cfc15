using System.Globalization;

namespace KernelRegression.Matrix;

/// <summary>A step's budget in seconds as written (before KR_TIMEOUT_SCALE), and where it was set.</summary>
public sealed record StepBudget(double Seconds, string From);

/// <summary>
/// One cell's budgets, step by step: the matrix's defaults with its tier, hub, image, profile and cell
/// overrides applied in that order, then the command line's. Seconds are kept as written; the limit a
/// step is judged against is scaled by KR_TIMEOUT_SCALE, as every deadline is. A step without a
/// budget is measured and reported, never judged.
/// </summary>
public sealed class StepBudgets
{
    private readonly IReadOnlyDictionary<string, StepBudget> _budgets;

    private StepBudgets(IReadOnlyDictionary<string, StepBudget> budgets) => _budgets = budgets;

    /// <summary>No budgets: nothing is judged (a cell made outside a matrix file).</summary>
    public static StepBudgets None { get; } = new(new Dictionary<string, StepBudget>());

    public bool IsEmpty => _budgets.Count == 0;

    public StepBudget? this[BudgetStep step] => _budgets.GetValueOrDefault(step.Name);

    /// <summary>The limit a measured step must stay under: the budget times <paramref name="scale"/> (default KR_TIMEOUT_SCALE).</summary>
    public TimeSpan? Limit(BudgetStep step, double? scale = null) =>
        this[step] is { } b ? TimeSpan.FromSeconds(b.Seconds * (scale ?? Deadline.Scale)) : null;

    /// <summary>These budgets with <paramref name="overrides"/> (step name → seconds) on top, each remembered as set by <paramref name="from"/>.</summary>
    public StepBudgets With(IReadOnlyDictionary<string, double>? overrides, string from)
    {
        if (overrides is null || overrides.Count == 0)
        {
            return this;
        }
        var merged = new Dictionary<string, StepBudget>(_budgets);
        foreach (var (step, seconds) in overrides)
        {
            merged[BudgetStep.Resolve(step, from).Name] = new StepBudget(seconds, from);
        }
        return new StepBudgets(merged);
    }

    /// <summary>
    /// Command-line budgets, each <c>STEP=SECONDS</c> (repeatable: <c>--budget spawn=60 --budget restart=45</c>);
    /// a malformed one is an error that names it.
    /// </summary>
    public static IReadOnlyDictionary<string, double> ParseCommandLine(IEnumerable<string> items)
    {
        var parsed = new Dictionary<string, double>();
        foreach (var item in items)
        {
            var eq = item.IndexOf('=', StringComparison.Ordinal);
            var step = eq > 0 ? item[..eq].Trim() : "";
            if (eq <= 0 || !double.TryParse(item[(eq + 1)..], NumberStyles.Float, CultureInfo.InvariantCulture, out var seconds) || !(seconds > 0))
            {
                throw new HarnessException($"--budget '{item}' is not STEP=SECONDS",
                    $"write e.g. --budget spawn=60 (seconds > 0); steps: {string.Join(", ", BudgetStep.All.Select(s => s.Name))}");
            }
            parsed[BudgetStep.Resolve(step, "--budget").Name] = seconds;
        }
        return parsed;
    }

    public override string ToString() =>
        string.Join(", ", BudgetStep.All.Where(s => this[s] is not null).Select(s => $"{s.Name} {Seconds(this[s]!.Seconds)} s ({this[s]!.From})"));

    internal static string Seconds(double s) => s.ToString("0.##", CultureInfo.InvariantCulture);
}
