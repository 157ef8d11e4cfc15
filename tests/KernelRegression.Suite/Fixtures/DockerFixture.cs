using KernelRegression.Deployments;
using KernelRegression.Matrix;
using KernelRegression.Runs;
using KernelRegression.Tiers.Docker;

[assembly: AssemblyFixture(typeof(KernelRegression.Suite.Fixtures.DockerFixture))]

namespace KernelRegression.Suite.Fixtures;

/// <summary>
/// The docker tier for the whole suite: the matrix's docker cells and the cells of the operator's
/// values when KR_VALUES names them (their images built first, in the build phase), run concurrently on first use, and at the end a run report. Without a Docker engine
/// its tests skip with the reason, unless KR_REQUIRE_TIER names docker, in which case they fail.
/// </summary>
public sealed class DockerFixture : IAsyncLifetime
{
    private DockerTier? _tier;
    private MatrixFixture? _matrix;

    public Run Run { get; } = Run.Start();
    public string? Unavailable { get; private set; }
    public MatrixFile MatrixFile { get; } = MatrixFile.Load();

    /// <summary>The tier, or a skip (a failure under KR_REQUIRE_TIER=docker) naming what is missing.</summary>
    public DockerTier Tier
    {
        get
        {
            if (Unavailable is not null)
            {
                if (Settings.Requires("docker"))
                {
                    throw new InvalidOperationException($"KR_REQUIRE_TIER includes docker, but: {Unavailable}");
                }
                Assert.Skip(Unavailable);
            }
            return _tier!;
        }
    }

    public MatrixFixture Matrix
    {
        get
        {
            _ = Tier; // skips (or fails under KR_REQUIRE_TIER) when there is no engine
            return _matrix!;
        }
    }

    public async ValueTask InitializeAsync()
    {
        try
        {
            await DockerEngine.RequireAsync(TestContext.Current.CancellationToken);
        }
        catch (MissingPrerequisiteException e)
        {
            Unavailable = $"docker tier: {e.What} ({e.Fix})";
            return;
        }
        _tier = new DockerTier(Run);
        _matrix = new MatrixFixture(_tier, [.. MatrixFile.DefaultCells().Where(c => c.Tier == "docker"), .. SuiteValues.Cells(MatrixFile)], Run);
    }

    public async ValueTask DisposeAsync()
    {
        if (_matrix is not null)
        {
            await _matrix.DisposeAsync();
            var images = _tier!.Images.Records;
            Console.WriteLine($"[kr] images: {images.Count(i => i.Built)} built in {images.Where(i => i.Built).Sum(i => i.Duration.TotalSeconds):0} s, {images.Count(i => !i.Built)} from cache");
        }
        if (_tier is not null)
        {
            await _tier.DisposeAsync();
        }
        await Run.DisposeAsync();
    }
}
