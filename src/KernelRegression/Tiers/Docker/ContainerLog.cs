using CliWrap;
using KernelRegression.Logs;

namespace KernelRegression.Tiers.Docker;

/// <summary>Follows a container's output (`docker logs -f`) into a <see cref="LogTail"/> until disposed.</summary>
public sealed class ContainerLog : IDisposable
{
    private readonly CancellationTokenSource _stop = new();

    /// <param name="since">Only output from then on: a restarted container's log still holds its earlier runs.</param>
    public ContainerLog(string container, LogTail tail, DateTimeOffset? since = null)
    {
        Tail = tail;
        string[] from = since is { } s ? ["--since", (s.ToUnixTimeMilliseconds() / 1000.0).ToString("0.000", System.Globalization.CultureInfo.InvariantCulture)] : [];
        Following = Cli.Wrap("docker").WithArguments(["logs", "-f", "--timestamps=false", .. from, container])
            .WithStandardOutputPipe(PipeTarget.ToDelegate(tail.Append))
            .WithStandardErrorPipe(PipeTarget.ToDelegate(tail.Append))
            .WithValidation(CommandResultValidation.None)
            .ExecuteAsync(CancellationToken.None, _stop.Token).Task;
    }

    public LogTail Tail { get; }
    public Task Following { get; }

    public void Dispose()
    {
        _stop.Cancel();
        _stop.Dispose();
    }
}
