using KernelRegression.Matrix;
using KernelRegression.Students;

namespace KernelRegression.Latency;

/// <summary>
/// One budgeted step as measured in a cell: its time, how many recorded timings made it, and the path it
/// took where there are two (a restart whose open channels stayed silent, so the harness waited and
/// reconnected, is "reconnected"; a kernel start whose first process lost the port race and was relaunched,
/// "relaunched"): a baseline compares a step only with runs that took the same path.
/// </summary>
public sealed record StepMeasure(BudgetStep Step, TimeSpan Value, int Samples, string? Mode = null)
{
    /// <summary>The restart's path when the open channels never answered and a new connection was opened.</summary>
    public const string Reconnected = "reconnected";

    /// <summary>The kernel start's path when its first process lost the port race and was relaunched (Jupyter/PortRace).</summary>
    public const string Relaunched = "relaunched";
}

/// <summary>
/// The budgeted steps of a cell, derived from the timings its student recorded (Student, KernelChecks:
/// spawn, kernel-start, kernel-connect, kernel-ready, execute, interrupt, restart, server-stop). The
/// first kernel of the cell is the one that counts for kernel start: later connections (a reconnect
/// after a restart, a notebook's own kernel) are other steps.
/// </summary>
public static class MeasuredSteps
{
    public static IReadOnlyList<StepMeasure> Of(IReadOnlyList<StepTiming> recorded)
    {
        var measures = new List<StepMeasure>();
        void Add(BudgetStep step, TimeSpan? value, int samples = 1, string? mode = null)
        {
            if (value is { } v)
            {
                measures.Add(new StepMeasure(step, v, samples, mode));
            }
        }
        Add(BudgetStep.Spawn, First(recorded, "spawn"));
        if (KernelStartParts.Of(recorded) is { } start)
        {
            Add(BudgetStep.KernelStart, start.Total, start.Samples, start.Relaunch is null ? null : StepMeasure.Relaunched);
            Add(BudgetStep.ChannelsOpen, start.Connect?.Duration);
        }
        var executes = recorded.Where(s => s.Step == "execute").Select(s => s.Duration).ToList();
        Add(BudgetStep.FirstExecute, executes.Count > 0 ? executes[0] : null);
        Add(BudgetStep.ExecuteP95, executes.Count > 0 ? Percentile(executes, 95) : null, executes.Count);
        Add(BudgetStep.Interrupt, First(recorded, "interrupt"));
        // A reconnect during the restart is recorded inside it: its WebSocket and kernel_info come just before "restart".
        var restart = recorded.ToList().FindIndex(s => s.Step == "restart");
        var reconnected = restart >= 2 && recorded[restart - 2].Step == "kernel-connect" && recorded[restart - 1].Step == "kernel-ready";
        Add(BudgetStep.Restart, restart >= 0 ? recorded[restart].Duration : null, mode: reconnected ? StepMeasure.Reconnected : null);
        Add(BudgetStep.ServerStop, First(recorded, "server-stop"));
        return measures;
    }

    /// <summary>Nearest-rank percentile, as kr bench reports it.</summary>
    public static TimeSpan Percentile(IReadOnlyList<TimeSpan> values, double p)
    {
        var sorted = values.Order().ToArray();
        var rank = (int)Math.Ceiling(p / 100.0 * sorted.Length);
        return sorted[Math.Clamp(rank - 1, 0, sorted.Length - 1)];
    }

    private static TimeSpan? First(IEnumerable<StepTiming> recorded, string step) =>
        recorded.FirstOrDefault(s => s.Step == step)?.Duration;
}
