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

    /// <summary>Demultiplexes the exec's socket: stdout and stderr are taken before it starts reading, since a frame for a channel nobody took is dropped.</summary>
    private PodExecSession(WebSocket socket)
    {
        _socket = socket;
        _demuxer = new StreamDemuxer(socket, StreamType.RemoteCommand, ownsSocket: true);
        Stdout = _demuxer.GetStream(ChannelIndex.StdOut, null);
        Stderr = _demuxer.GetStream(ChannelIndex.StdErr, null);
        _demuxer.Start();
    }

    public Stream Stdout { get; }
    public Stream Stderr { get; }

    public static async Task<PodExecSession> OpenAsync(IKubernetes api, string ns, string pod, string container, IReadOnlyList<string> command, CancellationToken ct)
    {
        // IKubernetes' own default subprotocol is none: name v4, the protocol with the exit status on channel 3.
        var socket = await api.WebSocketNamespacedPodExecAsync(pod, ns, command, container,
            stderr: true, stdin: true, stdout: true, tty: false, webSocketSubProtocol: WebSocketProtocol.V4BinaryWebsocketProtocol, cancellationToken: ct);
        return new PodExecSession(socket);
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
