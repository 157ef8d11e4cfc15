using KernelRegression.Kubernetes.Commands;
using KernelRegression.Matrix;
using KernelRegression.Tiers;
using KernelRegression.Host;

namespace KernelRegression.Kubernetes;

/// <summary>
/// The kind tier: each cell gets a cluster of its own (the chart values are rendered from the cell's
/// launch, so cells cannot share one), torn down when the cell is done. Cells run one at a time: a
/// kind cluster takes most of a small machine.
/// </summary>
public sealed class KindTier(Run run, Action<string>? progress = null) : ITier
{
    public TierName Name => TierName.Kind;

    public IReadOnlyList<CapabilityRow> Capabilities { get; } = Tiers.Capabilities.Table(typeof(KubernetesHub), KubernetesHub.Missing);

    /// <summary>The matrix's default kind cells, narrowed by globs (KR_CELLS / --cells).</summary>
    public static IReadOnlyList<MatrixCell> Selected(MatrixFile matrix, string? filter) =>
        MatrixFile.Narrow(matrix.DefaultCells().Where(c => c.Tier == "kind").ToList(), filter);

    /// <summary>A machine without the tier's programs is bad input (exit 2), not a run of failed cells.</summary>
    public async Task PrepareAsync(IReadOnlyList<MatrixCell> cells, Action<string> progress, CancellationToken ct)
    {
        foreach (var cell in cells.Where(c => c.Tier != Name))
        {
            throw new HarnessException($"cell {cell.Id} cannot run on the kind tier", "select kind cells (kr cells --cells 'kind/*')");
        }
        foreach (var program in new[] { "docker", "kind", "helm" })
        {
            await Prerequisites.ProgramAsync(CliCommandRunner.Instance, program, ct);
        }
    }

    public async Task<CellDeployment> DeployAsync(MatrixCell cell, CancellationToken ct)
    {
        var launch = Plan.KindPlan.LaunchOf(cell);
        var hub = await KubernetesHubBuilder.StartKindAsync(cell, launch, run, ct, progress: progress);
        return On(hub, cell, launch);
    }

    /// <summary>
    /// The cell on its hub, whose chart values were rendered from <paramref name="launch"/>. Its spawn sends
    /// no user_options: KubeSpawner gives it the values' default profile, the cell's launch (the other
    /// profile is the incident's control, <see cref="Chart.InitControlProfile"/>).
    /// </summary>
    internal static CellDeployment On(KubernetesHub hub, MatrixCell cell, LaunchProfile launch) =>
        new(hub, null, cell.Image.Name, launch, cell.Scenario == "healthy" ? null : Scenario.Load(cell.Scenario)) { OwnedByCell = hub };

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;
}
