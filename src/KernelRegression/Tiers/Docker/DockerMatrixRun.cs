using System.Collections.Concurrent;
using System.Diagnostics;
using KernelRegression.Checks;
using KernelRegression.Evidence;
using KernelRegression.Logs;
using KernelRegression.Matrix;
using KernelRegression.Runs;

namespace KernelRegression.Tiers.Docker;

/// <summary>
/// Runs docker-tier matrix cells: one hub container per hub version (started once, shared by its
/// cells), images built on first use, cells run concurrently up to a limit. Each cell's result is a
/// task, so xUnit rows (which run one after another) and the kr command both just await theirs.
/// </summary>
public sealed class DockerMatrixRun : IAsyncDisposable
{
    private readonly ConcurrentDictionary<string, Lazy<Task<DockerHub>>> _hubs = new();
    private readonly ConcurrentDictionary<string, Lazy<Task<CellReport>>> _cells = new();
    private readonly SemaphoreSlim _slots;
    private readonly Stopwatch _clock = Stopwatch.StartNew();
    private readonly CancellationTokenSource _stop = new();

    public DockerMatrixRun(Run run, CheckSelection selection, int parallel, ImageStore? images = null)
    {
        Run = run;
        Selection = selection;
        Images = images ?? ImageStore.Shared;
        _slots = new SemaphoreSlim(parallel);
    }

    public Run Run { get; }
    public CheckSelection Selection { get; }
    public ImageStore Images { get; }
    public TimeSpan Elapsed => _clock.Elapsed;
    public IReadOnlyList<CellReport> Completed =>
        _cells.Values.Where(c => c.IsValueCreated && c.Value.IsCompletedSuccessfully).Select(c => c.Value.Result).ToList();

    public static int DefaultParallel =>
        Settings.Parallel;

    /// <summary>Starts every cell (bounded by the parallel limit); returns their tasks in order.</summary>
    public IReadOnlyList<Task<CellReport>> StartAll(IEnumerable<MatrixCell> cells) => cells.Select(Result).ToList();

    public Task<CellReport> Result(MatrixCell cell) =>
        _cells.GetOrAdd(cell.Id, _ => new Lazy<Task<CellReport>>(() => RunCellAsync(cell, _stop.Token))).Value;

    public Task<DockerHub> HubAsync(HubSpec spec, CancellationToken ct) =>
        _hubs.GetOrAdd(spec.Name, _ => new Lazy<Task<DockerHub>>(() => DockerHub.StartAsync(spec, Run, Images, _stop.Token))).Value.WaitAsync(ct);

    private async Task<CellReport> RunCellAsync(MatrixCell cell, CancellationToken ct)
    {
        // Images first, outside the slot: a build is not a cell and must not hold up running cells.
        var scenario = cell.Scenario == "healthy" ? null : Scenario.Load(cell.Scenario);
        var profile = LaunchProfile.Resolve(cell.Profile);
        profile = scenario?.Apply(profile) ?? profile;
        var image = await Images.SingleUserAsync(cell.Image, ct);
        var hub = await HubAsync(cell.Hub, ct);
        await _slots.WaitAsync(ct);
        try
        {
            var result = await CellRunner.RunAsync(cell.Id, hub, Selection, ct, hub.UserOptions(image, profile), scenario);
            return new CellReport(result, cell.Expected.ExpectFailure, cell.Expected.Reason);
        }
        finally
        {
            _slots.Release();
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        foreach (var hub in _hubs.Values.Where(h => h.IsValueCreated))
        {
            try
            {
                await (await hub.Value).DisposeAsync();
            }
            catch (Exception)
            {
                // A hub that failed to start has nothing to dispose; its containers carry the run label.
            }
        }
        await DockerCli.RemoveRunAsync(Run.Id, CancellationToken.None);
        _stop.Dispose();
        _slots.Dispose();
    }
}
