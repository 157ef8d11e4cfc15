using KernelRegression.Evidence;
using KernelRegression.Logs;
using KernelRegression.Matrix;
using KernelRegression.Runs;
using KernelRegression.Tiers.Docker;

[assembly: AssemblyFixture(typeof(KernelRegression.Suite.Docker.DockerTier))]

namespace KernelRegression.Suite.Docker;

/// <summary>
/// The docker tier for the whole suite: the matrix's docker cells, run concurrently on first use,
/// and at the end a run report (artifacts/runs/RUN-ID/report.md) saying how many cells passed,
/// failed and were expected failures. Without a Docker engine its tests skip with the reason,
/// unless KR_REQUIRE_TIER names docker, in which case they fail.
/// </summary>
public sealed class DockerTier : IAsyncLifetime
{
    private DockerMatrixRun? _matrix;

    public Run Run { get; } = Run.Start();
    public string? Unavailable { get; private set; }
    public MatrixFile Matrix { get; } = MatrixFile.Load();

    public IReadOnlyList<MatrixCell> Cells =>
        MatrixFile.Narrow(Matrix.DefaultCells().Where(c => c.Tier == "docker").ToList(), Settings.Cells);

    public DockerMatrixRun MatrixRun
    {
        get
        {
            if (Unavailable is not null)
            {
                var required = Settings.Requires("docker");
                if (required)
                {
                    throw new InvalidOperationException($"KR_REQUIRE_TIER includes docker, but: {Unavailable}");
                }
                Assert.Skip(Unavailable);
            }
            return _matrix!;
        }
    }

    public async ValueTask InitializeAsync()
    {
        try
        {
            await DockerCli.RequireEngineAsync(TestContext.Current.CancellationToken);
        }
        catch (MissingPrerequisiteException e)
        {
            Unavailable = $"docker tier: {e.What} ({e.Fix})";
            return;
        }
        var window = Settings.AliveWindow;
        _matrix = new DockerMatrixRun(Run, Checks.CheckSelection.Default with { AliveWindow = window }, DockerMatrixRun.DefaultParallel);
    }

    public async ValueTask DisposeAsync()
    {
        if (_matrix is not null)
        {
            var cells = _matrix.Completed;
            if (cells.Count > 0)
            {
                var folder = Path.Combine(FixturePaths.Root, "..", "artifacts", "runs", Run.Id);
                RunReport.Write(folder, Run.Id, "docker", cells, _matrix.Elapsed);
                Console.WriteLine($"[kr] docker matrix: {RunReport.Summary(cells)}; report {Path.GetFullPath(folder)}/report.md");
                var images = _matrix.Images.Records;
                Console.WriteLine($"[kr] images: {images.Count(i => i.Built)} built in {images.Where(i => i.Built).Sum(i => i.Duration.TotalSeconds):0} s, {images.Count(i => !i.Built)} from cache");
            }
            await _matrix.DisposeAsync();
        }
        await Run.DisposeAsync();
    }
}
