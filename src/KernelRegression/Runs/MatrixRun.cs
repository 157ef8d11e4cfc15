using System.Collections.Concurrent;
using System.Diagnostics;
using KernelRegression.Checks;
using KernelRegression.Judging;
using KernelRegression.Matrix;
using KernelRegression.Tiers;
using KernelRegression.Cells;

namespace KernelRegression.Runs;

/// <summary>
/// Runs matrix cells on a tier: first the tier's build phase for all of them (images, with progress),
/// then the cells, up to a number at once. Each cell's result is a task, so xUnit rows (which run one
/// after another) and the kr command both just await theirs. A cell the tier could not set up (its
/// image, its hub) is a harness error, never a verdict.
/// </summary>
public sealed class MatrixRun : IAsyncDisposable
{
    private readonly ConcurrentDictionary<string, Lazy<Task<CellReport>>> _cells = new();
    private readonly SemaphoreSlim _slots;
    private readonly Stopwatch _clock = Stopwatch.StartNew();
    private readonly CancellationTokenSource _stop = new();
    private readonly Lazy<Task> _prepared;

    public MatrixRun(ITier tier, IReadOnlyList<MatrixCell> cells, CheckOptions options, int parallel, Action<string>? progress = null)
    {
        // Every check the cells name, known before anything starts (a misspelt one is refused here, not per cell).
        _ = CheckCatalog.Resolve(cells.SelectMany(c => c.Checks).Distinct());
        Tier = tier;
        Cells = cells;
        Options = options;
        _slots = new SemaphoreSlim(parallel);
        Progress = progress ?? (line => Console.Error.WriteLine($"[kr] {line}"));
        _prepared = new(() => Tier.PrepareAsync(Cells, Progress, _stop.Token));
    }

    public ITier Tier { get; }
    public IReadOnlyList<MatrixCell> Cells { get; }
    public CheckOptions Options { get; }
    public Action<string> Progress { get; }
    public TimeSpan Elapsed => _clock.Elapsed;

    /// <summary>The cells finished so far, in the matrix's order.</summary>
    public IReadOnlyList<CellReport> Completed =>
        [.. Cells.Select(c => _cells.TryGetValue(c.Id, out var t) && t.IsValueCreated && t.Value.IsCompletedSuccessfully ? t.Value.Result : null).OfType<CellReport>()];

    /// <summary>The build phase: done once, before any cell runs; a failure here fails no cell by itself (each cell then meets it as a harness error).</summary>
    public Task PrepareAsync() => _prepared.Value;

    /// <summary>Starts every cell (bounded by the parallel limit); returns their tasks in order.</summary>
    public IReadOnlyList<Task<CellReport>> StartAll() => [.. Cells.Select(Result)];

    public Task<CellReport> Result(MatrixCell cell) =>
        _cells.GetOrAdd(cell.Id, _ => new Lazy<Task<CellReport>>(() => RunCellAsync(cell, _stop.Token))).Value;

    private async Task<CellReport> RunCellAsync(MatrixCell cell, CancellationToken ct)
    {
        var checks = CheckCatalog.Resolve(cell.Checks);
        CellDeployment deployment;
        try
        {
            await PrepareAsync();
            deployment = await Tier.DeployAsync(cell, ct);
        }
        catch (Exception e) when (e is not OperationCanceledException || !ct.IsCancellationRequested)
        {
            var what = e is ActionableException h ? h.What.Split('\n')[0] : $"{e.GetType().Name}: {e.Message.Split('\n')[0]}";
            return new CellReport(CellResult.HarnessFailure(cell, checks.Select(c => c.Name), $"the {Tier.Name} tier could not set the cell up: {what}", e.ToString()));
        }
        await _slots.WaitAsync(ct);
        try
        {
            return new CellReport(await CellRunner.RunAsync(cell, deployment, checks, Options, ct));
        }
        finally
        {
            _slots.Release();
            if (deployment.OwnedByCell is { } owned)
            {
                await owned.DisposeAsync();
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _stop.Dispose();
        _slots.Dispose();
    }
}
