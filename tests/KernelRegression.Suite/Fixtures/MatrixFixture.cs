namespace KernelRegression.Suite.Fixtures;

/// <summary>
/// A tier's matrix cells (narrowed by KR_CELLS) as one run: started all at once on first use, so xUnit
/// rows, which run one after another, each just await their own; at the end a run report
/// (artifacts/runs/RUN-ID/report.md) of the cells that finished.
/// </summary>
public sealed class MatrixFixture(ITier tier, IReadOnlyList<MatrixCell> all, KernelRegression.Host.Run run) : IAsyncDisposable
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
                    // Under `dotnet test` the console is not shown: say where the progress is before anything takes long
                    // (each matrix row also writes it to its own test output).
                    Console.Error.WriteLine($"[kr] {tier.Name} matrix ({Cells.Count} cells): progress in {ProgressFile}");
                    _run = new MatrixRun(tier, Cells, CheckOptions.Default, Settings.Parallel, Log);
                    foreach (var (cell, result) in Cells.Zip(_run.StartAll()))
                    {
                        _ = result.ContinueWith(t => Log($"{cell.Id}: {(t.IsCompletedSuccessfully ? t.Result.Outcome.ToString() : t.Status.ToString())}"), TaskScheduler.Default);
                    }
                }
                return _run;
            }
        }
    }

    private string Folder => Path.GetFullPath(Path.Combine(FixturePaths.Root, "..", "artifacts", "runs", run.Id));

    /// <summary>Where the build phase and each cell's outcome are stamped as they happen.</summary>
    public string ProgressFile => Path.Combine(Folder, "progress.log");

    private readonly Lock _logGate = new();
    private readonly System.Diagnostics.Stopwatch _clock = System.Diagnostics.Stopwatch.StartNew();

    /// <summary>
    /// The build phase's and the cells' progress, with the time since this fixture was made, on stderr and in
    /// the run's folder (progress.log): under `dotnet test` the console is not shown, and a slow cold run
    /// must still say which image or cell took the time.
    /// </summary>
    private void Log(string line)
    {
        var stamped = $"{_clock.Elapsed:hh\\:mm\\:ss} {line}";
        Console.Error.WriteLine($"[kr] {stamped}");
        lock (_logGate)
        {
            Directory.CreateDirectory(Folder);
            File.AppendAllText(ProgressFile, stamped + "\n");
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
            var folder = Folder;
            RunReport.Write(folder, run.Id, tier.Name, cells, _run.Elapsed, tier.Capabilities);
            Console.WriteLine($"[kr] {tier.Name} matrix: {RunReport.Summary(cells)}; report {Path.GetFullPath(folder)}/report.md");
        }
        await _run.DisposeAsync();
    }
}
