using KernelRegression.Checks;
using KernelRegression.Logs;
using KernelRegression.Tiers;
using KernelRegression.Students;

namespace KernelRegression.Evidence;

/// <summary>
/// Runs the incident's control when a cell's kernel died silently at start under a PID-1 server: another
/// student on the same hub, the same image and user options with an init as PID 1 (the tier's
/// <see cref="IInitControl"/>), the same kernel started the same way, then watched alive for at least as
/// long as the dead kernel lived (never less than 3 s: the pre-#233 poller looks every second) and made to
/// run code. Seconds on a warm machine; its server is stopped when it is done. Run here rather than read
/// from the matrix's own docker-init cell: that cell runs at another moment, under other load, and a
/// cell's verdict must not depend on which other cells a run selected.
/// </summary>
public static class ControlLauncher
{
    public static async Task<ControlLaunch> RunAsync(CellSession session, TimeSpan deadLived, CancellationToken ct)
    {
        if (session.Deployment.Get<IInitControl>() is not { } tier)
        {
            return ControlLaunch.None(session.Deployment.WhyNot<IInitControl>());
        }
        if (tier.WithInitAsPid1(session.Cell) is not { } cell)
        {
            return ControlLaunch.None("the cell's launch has an init as PID 1 already");
        }
        var control = new ControlLaunch { Launch = $"{cell.Launch?.Name ?? "the same launch"} with an init as PID 1 ({tier.InitAsPid1})" };
        var clock = System.Diagnostics.Stopwatch.StartNew();
        var run = new CellSession(cell, session.Options);
        await using (run)
        {
            using var limit = CancellationTokenSource.CreateLinkedTokenSource(ct);
            limit.CancelAfter(Deadline.Of(240));
            try
            {
                var kernel = await run.KernelAsync(limit.Token);
                control = control with { AnsweredAfter = KernelStartParts.Of(run.Steps)?.Total };
                var window = deadLived > Deadline.Of(3) ? deadLived : Deadline.Of(3);
                var alive = await KernelChecks.StaysAliveAsync(run.Student!, kernel, window, limit.Token);
                control = alive.StillListed && alive.Answer == "'alive'"
                    ? control with { AliveFor = window }
                    : control with { Died = $"after {window.TotalSeconds:0.0} s alive it was {(alive.StillListed ? $"still listed but answered {alive.Answer ?? "nothing"}" : "no longer listed by its server")}" };
                if (run.Deployment.Get<IEvidenceSource>() is { } source && (await source.CollectAsync(run.Student!.Name, run.Student.ServerName, limit.Token)).Processes is { } tree)
                {
                    control = control with { ServerIsPid1 = tree.ServerIsPid1, Pid1 = tree.Pid1?.Command };
                }
            }
            catch (KernelDiedException died)
            {
                var dead = run.Student?.KernelProcesses.FirstOrDefault(p => p.KernelId == died.KernelId && p.Lived is not null);
                var said = CauseFinder.FindCause([died.Cause]) is { Pattern.Name: not "restarter" } ? $" ({died.Cause})" : "";
                control = control with { Died = dead is null ? died.Cause : $"its kernel process {dead.Ending}{said}" };
            }
            catch (Exception e) when (e is not OperationCanceledException || !ct.IsCancellationRequested)
            {
                control = control with { Failed = e is ActionableException h ? h.What.Split('\n')[0] : $"{e.GetType().Name}: {e.Message.Split('\n')[0]}" };
            }
            control = control with { KernelProcesses = run.Student?.KernelProcesses ?? [] };
        }
        return control with { Took = clock.Elapsed };
    }
}
