using KernelRegression.Kubernetes.Commands;
using KernelRegression.Host;

namespace KernelRegression.Kubernetes.Cluster;

/// <summary>Deletes kind clusters named kr-RUNID whose run is not live: what a harness killed mid-run left behind.</summary>
public static class ClusterSweep
{
    public static async Task<IReadOnlyList<string>> SweepKindAsync(ICommandRunner runner, Action<string> progress, CancellationToken ct, Func<string, bool>? isLive = null)
    {
        isLive ??= StaleRuns.IsLive;
        var list = await runner.RunAsync(KindCommands.GetClusters(), Deadline.Of(30), ct);
        if (!list.Succeeded)
        {
            throw new MissingPrerequisiteException($"`kind get clusters` failed (exit {list.ExitCode}): {list.StandardError.Trim()}", Prerequisites.InstallHint("kind"));
        }
        var swept = new List<string>();
        foreach (var name in list.StandardOutput.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var runId = ClusterName.RunIdOf(name);
            if (runId is null || isLive(runId))
            {
                continue;
            }
            progress($"deleting stale cluster {name} (run {runId} is gone)");
            await runner.RunAsync(KindCommands.Delete(name), Deadline.Of(120), ct);
            swept.Add(name);
        }
        return swept;
    }
}
