using KernelRegression.Checks;
using KernelRegression.Logs;
using KernelRegression.Tiers;

namespace KernelRegression.Evidence;

/// <summary>
/// Gathers a cell's evidence once its checks are done: what the tier can see of the student's server,
/// the kernel's timeline and processes, step timings and logs; and, where a kernel died silently at its
/// start under a server that is PID 1, the control that proves or refutes the parent poller
/// (<see cref="ControlLauncher"/>). Best effort: failing to read evidence never changes a verdict; it is
/// recorded as the collection error.
/// </summary>
public static class EvidenceCollector
{
    private const int LogLines = 200;

    /// <param name="failures">What the cell's checks caught: a silent death at start under a PID-1 server gets its control.</param>
    public static async Task<CellEvidence> CollectAsync(CellSession session, IEnumerable<CheckFailure> failures, CancellationToken ct)
    {
        var evidence = await ReadAsync(session, ct);
        var seen = failures.Where(f => !f.IsHarness).Select(f => f.Error).OfType<KernelDiedException>()
            .Select(d => ParentPoller.Seen(d, evidence)).FirstOrDefault(s => s is not null);
        return seen is null ? evidence : evidence with { Control = await ControlLauncher.RunAsync(session, seen.LongestLife, ct) };
    }

    private static async Task<CellEvidence> ReadAsync(CellSession session, CancellationToken ct)
    {
        var deployment = session.Deployment;
        var student = session.Student;
        var kernel = session.Kernel;
        var server = TierEvidence.None;
        string? error = null;
        if (student is not null && deployment.Get<IEvidenceSource>() is { } source)
        {
            using var cts = CancellationTokenSource.CreateLinkedTokenSource(ct);
            cts.CancelAfter(Deadline.Of(20));
            try
            {
                server = await source.CollectAsync(student.Name, student.ServerName, cts.Token);
            }
            catch (Exception e) when (e is not OperationCanceledException || !ct.IsCancellationRequested)
            {
                error = $"{e.GetType().Name}: {e.Message.Split('\n')[0]}";
            }
        }
        return new CellEvidence
        {
            Tier = deployment.Tier,
            HubVersion = deployment.HubVersion,
            Image = session.Cell.Image,
            Launch = session.Cell.Launch,
            NotApplied = session.Cell.NotApplied,
            Server = server,
            KernelLastStatus = kernel?.ExecutionState ?? "never connected",
            KernelProtocol = kernel?.Protocol ?? "",
            Timeline = kernel?.Timeline.Entries ?? [],
            Steps = session.Steps,
            KernelProcesses = student?.KernelProcesses ?? [],
            // A server that never came up may have left its last words only in the hub's log (the spawner copies them there).
            ServerLog = student is null ? []
                : student.SpawnLog.Count > 0 ? [.. student.SpawnLog.TakeLast(LogLines)]
                : Last(deployment.ServerLog(student.Name, student.ServerName)),
            HubLog = Last(deployment.HubLog),
            Attachments = [.. session.Attachments, .. server.Attachments],
            Browser = session.Browser,
            CollectionError = error,
        };
    }

    private static IReadOnlyList<string> Last(LogTail log) => log.LinesSince(Math.Max(0, log.Count - LogLines));
}
