using System.Globalization;
using KernelRegression.Matrix;

namespace KernelRegression.Latency;

/// <summary>
/// kr bench against the same budgets as kr run: which budget a bench step is measured against, and its
/// p95 as a share of it. The bench's execute is `1+1` (compared with execute-p95), and its stop waits
/// until the hub no longer lists the server (a little more than server-stop, which ends at the hub's answer).
/// </summary>
public static class BenchBudgets
{
    /// <summary>The budgets of the cell a bench measures: the docker cell it was given, or the process tier's host cell.</summary>
    public static StepBudgets For(MatrixFile matrix, string tier, string dockerCell) =>
        matrix.Document.Budgets.For(tier == "process" ? matrix.Cell("process", "host", "host", "host") : matrix.CellById(dockerCell));

    public static BudgetStep? StepOf(string benchStep) => benchStep.Trim() switch
    {
        "spawn" => BudgetStep.Spawn,
        "kernel-ready" => BudgetStep.KernelStart,
        "kernel-connect" => BudgetStep.ChannelsOpen,
        "execute" => BudgetStep.ExecuteP95,
        "stop" => BudgetStep.ServerStop,
        _ => null,
    };

    /// <summary>"0.12 of 30 s", or "–" for a step without a budget.</summary>
    public static string Ratio(StepBudgets budgets, string benchStep, double p95Ms) =>
        StepOf(benchStep) is { } step && budgets.Limit(step) is { } limit && !double.IsNaN(p95Ms)
            ? $"{(p95Ms / limit.TotalMilliseconds).ToString("0.00", CultureInfo.InvariantCulture)} of {Format.Duration(limit)}"
            : "–";
}
