using System.Text.Json.Nodes;
using KernelRegression.Matrix;

namespace KernelRegression.Tiers;

/// <summary>
/// What a cell runs against: the hub (shared by the tier's cells where it can be), what the spawn asks
/// for (the image and launch, as a profile form's user_options), the launch applied and its scenario.
/// </summary>
public sealed record CellDeployment(IHubDeployment Hub, JsonObject? UserOptions, string? Image, LaunchProfile? Launch, Scenario? Scenario)
{
    /// <summary>Keys of the operator's configuration this tier could not apply (values files).</summary>
    public IReadOnlyList<NotApplied> NotApplied { get; init; } = [];

    /// <summary>What to tear down when the cell is done, where the tier stood something up for this cell alone (a kind cluster).</summary>
    public IAsyncDisposable? OwnedByCell { get; init; }
}

/// <summary>
/// One way to stand JupyterHub up (process, docker, kind, existing). A tier makes what a run's cells
/// need before any cell is judged (images: the build phase), then deploys each cell (a hub up, its
/// image ready), and at dispose tears down everything it made.
/// </summary>
public interface ITier : IAsyncDisposable
{
    TierName Name { get; }

    /// <summary>What the tier's deployments offer and why not (reports show it; fault tests run only what is offered).</summary>
    IReadOnlyList<CapabilityRow> Capabilities { get; }

    /// <summary>Makes everything the cells need (images, hubs) before the first cell runs; progress lines go to <paramref name="progress"/>.</summary>
    Task PrepareAsync(IReadOnlyList<MatrixCell> cells, Action<string> progress, CancellationToken ct);

    Task<CellDeployment> DeployAsync(MatrixCell cell, CancellationToken ct);
}
