using KernelRegression.Checks;
using KernelRegression.Judging;
using KernelRegression.Matrix;
using KernelRegression.Runs;
using KernelRegression.Tiers.Docker;
using KernelRegression.Deployments;
using KernelRegression.Reports;

namespace KernelRegression.Runs;

/// <summary>
/// Runs an operator's values as cells on the docker tier (shared hubs and images across calls) and
/// writes each run's reports: what `kr run --values`, `kr check-change` and `kr bisect commits` share.
/// </summary>
public sealed class DeploymentRuns(DockerTier docker, MatrixFile matrix, IReadOnlyList<string> hubs, IReadOnlyList<ICheck> checks, CheckOptions options, int parallel)
{
    public DockerTier Docker => docker;

    public IReadOnlyList<MatrixCell> CellsOf(DeploymentValues values) =>
        [.. ValuesMatrix.Cells(values, matrix, hubs).Select(c => c with { Checks = [.. checks.Select(k => k.Name)] })];

    public async Task<DeploymentRun> RunAsync(DeploymentValues values, string folder, Action<string> progress, CancellationToken ct)
    {
        var cells = CellsOf(values);
        var clock = System.Diagnostics.Stopwatch.StartNew();
        await using var run = new MatrixRun(docker, cells, options, parallel, progress);
        var reports = new List<CellReport>();
        foreach (var task in run.StartAll())
        {
            reports.Add(await task.WaitAsync(ct));
        }
        RunReport.Write(folder, docker.Run.Id, docker.Name, reports, clock.Elapsed, docker.Capabilities);
        return new DeploymentRun(values, reports, folder);
    }
}
