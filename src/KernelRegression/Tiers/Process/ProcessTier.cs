using KernelRegression.Matrix;
using KernelRegression.Host;

namespace KernelRegression.Tiers.Process;

/// <summary>
/// The embedded default as a tier: one JupyterHub + proxy of this machine's packages, started on
/// first use and shared by every cell. Its cells use the host hub and image; a launch profile's
/// environment reaches the server (the spawn's user_options.env), nothing else of a launch applies.
/// </summary>
public sealed class ProcessTier(Run run, ProcessHubBuilder? builder = null) : ITier
{
    private readonly ProcessHubBuilder _builder = builder ?? new ProcessHubBuilder();
    private readonly SemaphoreSlim _gate = new(1, 1);
    private ProcessHub? _hub;

    public IReadOnlyList<CapabilityRow> Capabilities { get; } = Tiers.Capabilities.Table(typeof(ProcessHub), ProcessHub.Missing);

    public TierName Name => TierName.Process;

    public Task PrepareAsync(IReadOnlyList<MatrixCell> cells, Action<string> progress, CancellationToken ct)
    {
        foreach (var cell in cells.Where(c => c.Tier != Name || !c.Image.IsHost))
        {
            throw new HarnessException($"cell {cell.Id} cannot run on the process tier: it needs image 'host' (this machine's packages)",
                "select process cells with the host hub and image (kr cells --cells 'process/*'), or run it with --tier docker");
        }
        // A missing install is the run's bad input, said once before any cell, not a harness error in every cell.
        if (cells.Count > 0)
        {
            _builder.RequireInstalled();
        }
        return Task.CompletedTask;
    }

    /// <summary>The one hub, started at first use.</summary>
    public async Task<ProcessHub> HubAsync(CancellationToken ct)
    {
        await _gate.WaitAsync(ct);
        try
        {
            return _hub ??= await _builder.StartAsync(run, ct);
        }
        finally
        {
            _gate.Release();
        }
    }

    public async Task<CellDeployment> DeployAsync(MatrixCell cell, CancellationToken ct)
    {
        var hub = await HubAsync(ct);
        var scenario = cell.Scenario == "healthy" ? null : Scenario.Load(cell.Scenario);
        var profile = cell.ResolveLaunch();
        profile = scenario?.Apply(profile) ?? profile;
        var options = profile.Env.Count == 0 ? null
            : new System.Text.Json.Nodes.JsonObject { ["env"] = System.Text.Json.JsonSerializer.SerializeToNode(profile.Env) };
        return new CellDeployment(hub, options, null, profile, scenario);
    }

    public async ValueTask DisposeAsync()
    {
        if (_hub is not null)
        {
            await _hub.DisposeAsync();
        }
        _gate.Dispose();
    }
}
