using KernelRegression.Logs;
using KernelRegression.Docker;

namespace KernelRegression.Tiers.Docker;

/// <summary>Follows a container's output (the engine's logs, followed: `docker logs -f`) into a <see cref="LogTail"/> until disposed.</summary>
public sealed class ContainerLog : IDisposable
{
    private readonly CancellationTokenSource _stop = new();

    /// <param name="since">Only output from then on: a restarted container's log still holds its earlier runs.</param>
    public ContainerLog(string container, LogTail tail, DateTimeOffset? since = null)
    {
        Tail = tail;
        Following = DockerEngine.FollowLogsAsync(container, since, tail.Append, _stop.Token);
    }

    public LogTail Tail { get; }
    public Task Following { get; }

    public void Dispose()
    {
        _stop.Cancel();
        _stop.Dispose();
    }
}
