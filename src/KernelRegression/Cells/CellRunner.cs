using System.Diagnostics;
using KernelRegression.Evidence;
using KernelRegression.Matrix;
using KernelRegression.Tiers;
using KernelRegression.Checks;
using KernelRegression.Latency;

namespace KernelRegression.Cells;

/// <summary>
/// Runs a cell's checks in order as one student, then collects the evidence once and explains every
/// failure from it. This is what a matrix cell is, whether run by xUnit or by the kr command. Once a
/// check has seen the kernel (or the server) die, the checks after it that need one are not attempted
/// and say why, instead of timing out again.
/// </summary>
public static class CellRunner
{
    private sealed record Run(ICheck Check, TimeSpan Duration, string? Detail, CheckFailure? Failure, ICheck? BlockedBy, string? Skipped = null);

    public static async Task<CellResult> RunAsync(MatrixCell cell, CellDeployment deployment, IReadOnlyList<ICheck> checks, CheckOptions options, CancellationToken ct)
    {
        var runs = new List<Run>();
        CellEvidence evidence;
        // Read again after its disposal: the server stop is timed then, and the budget measurement needs it.
        var session = new CellSession(deployment, options);
        await using (session)
        {
            ICheck? fatal = null;
            foreach (var check in checks)
            {
                if (fatal is not null && check.Needs != CheckNeeds.Nothing)
                {
                    runs.Add(new Run(check, TimeSpan.Zero, null, null, fatal));
                    continue;
                }
                var sw = Stopwatch.StartNew();
                try
                {
                    var detail = await CheckGuard.RunAsync(check.Name, t => check.RunAsync(session, t), () => session.Steps is [.., var last] ? last.Step : null,
                        CheckGuard.Limit(options), CheckGuard.Grace, ct);
                    runs.Add(new Run(check, sw.Elapsed, detail, null, null));
                }
                catch (CheckSkippedException e)
                {
                    runs.Add(new Run(check, sw.Elapsed, null, null, null, e.Message));
                }
                catch (Exception e) when (!(e is OperationCanceledException && ct.IsCancellationRequested))
                {
                    var failure = Explainer.Classify(e);
                    runs.Add(new Run(check, sw.Elapsed, null, failure, null));
                    // A check that saw the wrong thing leaves the kernel usable; a death, a deadline or a broken harness does not.
                    if (e is not CheckFailedException)
                    {
                        fatal = check;
                    }
                }
            }
            evidence = await EvidenceCollector.CollectAsync(session, runs.Select(r => r.Failure).OfType<CheckFailure>(), ct);
        }
        var causes = runs.Where(r => r.Failure is not null).ToDictionary(r => r.Check, r => Explainer.Cause(r.Failure!, evidence));
        var outcomes = runs.Select(r => r switch
        {
            { Failure: { IsHarness: true } f } => CheckOutcome.HarnessError(r.Check.Name, r.Duration, causes[r.Check], f.Error.ToString()),
            { Failure: { } f } => CheckOutcome.Fail(r.Check.Name, r.Duration, causes[r.Check], f.Error.Message),
            { BlockedBy: { } b } => CheckOutcome.NotAttempted(r.Check.Name, $"not attempted: {b.Name} failed ({causes[b]})"),
            { Skipped: { } why } => CheckOutcome.Skip(r.Check.Name, why),
            _ => CheckOutcome.Pass(r.Check.Name, r.Duration, r.Detail ?? ""),
        }).ToList();
        // Steps measured against their budgets, slow parts named (Latency/BudgetedSteps); what an overrun means is the judge's.
        return new CellResult(cell, outcomes, evidence).MeasuredAgainstBudgets(checks, LatencyTrace.Of(deployment.Hub, session.Student, session.Steps));
    }
}
