using KernelRegression.Runs;
using KernelRegression.Tiers.Process;

[assembly: AssemblyFixture(typeof(KernelRegression.Suite.ProcessTier))]

namespace KernelRegression.Suite;

/// <summary>
/// The embedded default: one real JupyterHub + proxy as local processes for the whole suite.
/// A start failure is kept and rethrown in every test that uses it, so each shows the real cause.
/// </summary>
public sealed class ProcessTier : IAsyncLifetime
{
    private ProcessHub? _hub;
    private Exception? _startFailure;

    public Run Run { get; } = Run.Start();

    public ProcessHub Hub => _hub ?? throw new InvalidOperationException("the process-tier hub did not start", _startFailure);

    public async ValueTask InitializeAsync()
    {
        try
        {
            _hub = await new ProcessHubBuilder().StartAsync(Run, TestContext.Current.CancellationToken);
        }
        catch (Exception e)
        {
            _startFailure = e;
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_hub is not null)
        {
            await _hub.DisposeAsync();
        }
        await Run.DisposeAsync();
    }
}
