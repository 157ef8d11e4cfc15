using KernelRegression.Checks;
using KernelRegression.Evidence;
using KernelRegression.Matrix;
using KernelRegression.Runs;

namespace KernelRegression.Kubernetes;

/// <summary>
/// The kind cells of the matrix and how one runs: a cluster of its own (the chart values are rendered
/// from the cell's launch, so cells cannot share one), the standard checks as a student, the pod's
/// evidence, and on failure the whole namespace's. Used by `kr run --tier kind` and the live tests.
/// </summary>
public static class KindCells
{
    /// <summary>The matrix's default kind cells, narrowed by globs (KR_CELLS / --cells).</summary>
    public static IReadOnlyList<MatrixCell> Selected(MatrixFile matrix, string? filter) =>
        MatrixFile.Narrow(matrix.DefaultCells().Where(c => c.Tier == "kind").ToList(), filter);

    public static async Task<CellReport> RunAsync(MatrixCell cell, Run run, CheckSelection selection, CancellationToken ct, Action<string>? progress = null)
    {
        var scenario = cell.Scenario == "healthy" ? null : Scenario.Load(cell.Scenario);
        await using var hub = await KubernetesHubBuilder.StartKindAsync(cell, Plan.KindPlan.LaunchOf(cell), run, ct, progress: progress);
        var result = await CellRunner.RunAsync(cell.Id, hub, selection, ct, userOptions: null, scenario);
        if (!result.Passed)
        {
            var evidence = new Dictionary<string, string>(result.Evidence) { ["cluster"] = await hub.EvidenceAsync(CancellationToken.None) };
            result = result with { Evidence = evidence };
        }
        return new CellReport(result, cell.Expected.ExpectFailure, cell.Expected.Reason);
    }
}
