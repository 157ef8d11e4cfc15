using System.Net.WebSockets;
using k8s;
using KernelRegression.Host;

namespace KernelRegression.Kubernetes.Pods;

/// <summary>
/// A long-running command in a pod's container through the API's WebSocket exec (the channel
/// protocol kubectl exec speaks), its stdout and stderr read as they come. Stdin is open and never
/// written: closing the connection closes it, which is how a script that ends with its stdin
/// (<see cref="KernelWatchScript"/>) is stopped.
/// </summary>
public sealed class PodExecSession : IAsyncDisposable
{
    private readonly WebSocket _socket;
    private readonly StreamDemuxer _demuxer;

    private PodExecSession(WebSocket socket, StreamDemuxer demuxer, Stream stdout, Stream stderr)
    {
        _socket = socket;
        _demuxer = demuxer;
        Stdout = stdout;
        Stderr = stderr;
    }

    public Stream Stdout { get; }
    public Stream Stderr { get; }

    public static async Task<PodExecSession> OpenAsync(IKubernetes api, string ns, string pod, string container, IReadOnlyList<string> command, CancellationToken ct)
    {
        // IKubernetes' own default subprotocol is none: name v4, the protocol with the exit status on channel 3.
        var socket = await api.WebSocketNamespacedPodExecAsync(pod, ns, command, container,
            stderr: true, stdin: true, stdout: true, tty: false, webSocketSubProtocol: WebSocketProtocol.V4BinaryWebsocketProtocol, cancellationToken: ct);
        var demuxer = new StreamDemuxer(socket, StreamType.RemoteCommand, ownsSocket: true);
        // Channels are taken before the demuxer reads: a frame for a channel nobody took is dropped.
        var stdout = demuxer.GetStream(ChannelIndex.StdOut, null);
        var stderr = demuxer.GetStream(ChannelIndex.StdErr, null);
        demuxer.Start();
        return new PodExecSession(socket, demuxer, stdout, stderr);
    }

    /// <summary>Closes the WebSocket (the API server then closes the command's stdin), then the demuxer and its streams.</summary>
    public async ValueTask DisposeAsync()
    {
        if (_socket.State is WebSocketState.Open or WebSocketState.CloseReceived)
        {
            using var bounded = new CancellationTokenSource(Deadline.Of(5));
            try
            {
                await _socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, "kernel watch done", bounded.Token);
            }
            catch (Exception e) when (e is WebSocketException or OperationCanceledException or ObjectDisposedException)
            {
                // A connection that broke already is closed enough; the dispose below aborts it.
            }
        }
        _demuxer.Dispose();
    }
}
