using KernelRegression.Tiers.Process;

[assembly: AssemblyFixture(typeof(KernelRegression.Suite.Fixtures.ProcessFixture))]

namespace KernelRegression.Suite.Fixtures;

/// <summary>
/// The embedded default: one real JupyterHub + proxy as local processes for the whole suite, and the
/// matrix's process cells on it. A start failure is kept and rethrown in every test that uses it, so
/// each shows the real cause.
/// </summary>
public sealed class ProcessFixture : IAsyncLifetime
{
    private ProcessHub? _hub;
    private Exception? _startFailure;

    public ProcessFixture()
    {
        Tier = new ProcessTier(Run);
        Matrix = new MatrixFixture(Tier, MatrixFile.Load().DefaultCells().Where(c => c.Tier == "process").ToList(), Run);
    }

    public Run Run { get; } = Run.Start();
    public ProcessTier Tier { get; }
    public MatrixFixture Matrix { get; }

    public ProcessHub Hub => _hub ?? throw new InvalidOperationException("the process-tier hub did not start", _startFailure);

    public async ValueTask InitializeAsync()
    {
        try
        {
            _hub = await Tier.HubAsync(TestContext.Current.CancellationToken);
        }
        catch (Exception e)
        {
            _startFailure = e;
        }
    }

    public async ValueTask DisposeAsync()
    {
        await Matrix.DisposeAsync();
        await Tier.DisposeAsync();
        await Run.DisposeAsync();
    }
}
