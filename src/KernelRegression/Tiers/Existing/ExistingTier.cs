using KernelRegression.Matrix;

namespace KernelRegression.Tiers.Existing;

/// <summary>
/// A hub somebody else runs, as a tier: nothing is built or started; each cell is a student of that hub
/// with the hub's own default launch (the harness cannot choose images or profiles there).
/// </summary>
public sealed class ExistingTier(Uri url, string token, string runId) : ITier
{
    private ExistingHub? _hub;

    public IReadOnlyList<CapabilityRow> Capabilities { get; } = Tiers.Capabilities.Table(typeof(ExistingHub), ExistingHub.Missing);

    public TierName Name => TierName.Existing;

    /// <summary>Connects at once, so a wrong URL or token is reported before any cell runs.</summary>
    public async Task PrepareAsync(IReadOnlyList<MatrixCell> cells, Action<string> progress, CancellationToken ct)
    {
        _hub ??= await ExistingHub.ConnectAsync(url, token, runId, ct);
        progress($"JupyterHub {_hub.HubVersion} at {url}");
    }

    public async Task<CellDeployment> DeployAsync(MatrixCell cell, CancellationToken ct)
    {
        _hub ??= await ExistingHub.ConnectAsync(url, token, runId, ct);
        return new CellDeployment(_hub, null, null, null, null);
    }

    public async ValueTask DisposeAsync()
    {
        if (_hub is not null)
        {
            await _hub.DisposeAsync();
        }
    }
}
