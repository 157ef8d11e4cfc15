using KernelRegression.Checks;
using KernelRegression.Evidence;
using KernelRegression.Matrix;
using KernelRegression.Runs;
using KernelRegression.Tiers;

namespace KernelRegression.Suite.Fixtures;

/// <summary>
/// A tier's matrix cells (narrowed by KR_CELLS) as one run: started all at once on first use, so xUnit
/// rows, which run one after another, each just await their own; at the end a run report
/// (artifacts/runs/RUN-ID/report.md) of the cells that finished.
/// </summary>
public sealed class MatrixFixture(ITier tier, IReadOnlyList<MatrixCell> all, KernelRegression.Runs.Run run) : IAsyncDisposable
{
    private MatrixRun? _run;
    private readonly Lock _gate = new();

    public IReadOnlyList<MatrixCell> Cells { get; } = MatrixFile.Narrow(all, Settings.Cells);

    public MatrixRun Run
    {
        get
        {
            lock (_gate)
            {
                if (_run is null)
                {
                    _run = new MatrixRun(tier, Cells, CheckOptions.Default, Settings.Parallel);
                    _run.StartAll();
                }
                return _run;
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_run is null)
        {
            return;
        }
        var cells = _run.Completed;
        if (cells.Count > 0)
        {
            var folder = Path.Combine(FixturePaths.Root, "..", "artifacts", "runs", run.Id);
            RunReport.Write(folder, run.Id, tier.Name, cells, _run.Elapsed, tier.Capabilities);
            Console.WriteLine($"[kr] {tier.Name} matrix: {RunReport.Summary(cells)}; report {Path.GetFullPath(folder)}/report.md");
        }
        await _run.DisposeAsync();
    }
}
