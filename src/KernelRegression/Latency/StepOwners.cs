using KernelRegression.Checks;
using KernelRegression.Matrix;

namespace KernelRegression.Latency;

/// <summary>
/// Which check answers for a budgeted step: the one whose run made the student wait for it.
/// <list type="bullet">
/// <item>spawn: the first check that needed the server (the session spawns it for that check: kernel-starts in the standard order).</item>
/// <item>kernel-start, channels-open: kernel-starts, or else the first check that needed a kernel (the session started it for that check).</item>
/// <item>first-execute, execute-p95: executes (it runs the cell's first cells), or else the first check that needed a kernel.</item>
/// <item>interrupt, restart: the checks of those names (nothing else interrupts or restarts).</item>
/// <item>server-stop: no check stops the server: the session does when the cell ends, so the check that brought it up
/// answers for it too (it owns the server's life, from spawn to stop).</item>
/// </list>
/// Only checks that ran count (not "not attempted" or skipped). A step whose owner is not in the cell is
/// measured and reported, never judged.
/// </summary>
public static class StepOwners
{
    public static string? Of(BudgetStep step, IReadOnlyList<ICheck> checks, IReadOnlyList<CheckOutcome> outcomes)
    {
        var ran = checks.Where(c => outcomes.FirstOrDefault(o => o.Check == c.Name) is { Ran: true }).ToList();
        ICheck? Named(string name) => ran.FirstOrDefault(c => c.Name == name);
        var server = ran.FirstOrDefault(c => c.Needs.HasFlag(CheckNeeds.Server));
        var kernel = ran.FirstOrDefault(c => c.Name == "kernel-starts" || c.Needs == CheckNeeds.Kernel);
        var firstKernelUser = ran.FirstOrDefault(c => c.Needs == CheckNeeds.Kernel);
        return (step.Name switch
        {
            "spawn" or "server-stop" => server,
            "kernel-start" or "channels-open" => kernel,
            "first-execute" or "execute-p95" => Named("executes") ?? firstKernelUser,
            "interrupt" => Named("interrupt"),
            "restart" => Named("restart"),
            _ => null,
        })?.Name;
    }
}
