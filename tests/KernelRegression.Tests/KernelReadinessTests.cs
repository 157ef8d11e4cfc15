using System.Net;
using System.Net.Sockets;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json.Nodes;
using KernelRegression.Jupyter;

namespace KernelRegression.Tests;

/// <summary>
/// Waiting for a kernel to be ready, against a stand-in server whose kernel answers each kernel_info_request
/// only after the client's resend interval (1 s): a loaded machine. A reply to any request sent must count.
/// </summary>
public sealed class KernelReadinessTests : IAsyncDisposable
{
    private static readonly TimeSpan AnswerAfter = TimeSpan.FromSeconds(1.5);
    private readonly HttpListener _listener = new();
    private readonly Uri _server;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _serving;
    private int _requests;

    public KernelReadinessTests()
    {
        using (var probe = new TcpListener(IPAddress.Loopback, 0))
        {
            probe.Start();
            _server = new Uri($"http://127.0.0.1:{((IPEndPoint)probe.LocalEndpoint).Port}/user/alice/");
        }
        _listener.Prefixes.Add(new Uri(_server, "/").AbsoluteUri);
        _listener.Start();
        _serving = ServeAsync();
    }

    [Fact]
    public async Task AKernelSlowerThanTheResendIntervalIsReady()
    {
        var ct = TestContext.Current.CancellationToken;
        using var server = new ServerClient(_server, "t", "alice");
        await using var kernel = await KernelConnection.OpenAsync(server, "k1", null, 0, ct);

        var reply = await kernel.KernelInfoAsync(TimeSpan.FromSeconds(20), ct);

        reply.MsgType.Should().Be("kernel_info_reply");
        kernel.ReadyState.Should().Be("idle");
        _requests.Should().BeLessThanOrEqualTo(3, "resends back off while the kernel is slow");
    }

    private async Task ServeAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            HttpListenerContext context;
            try
            {
                context = await _listener.GetContextAsync();
            }
            catch (Exception e) when (e is HttpListenerException or ObjectDisposedException)
            {
                return;
            }
            _ = KernelAsync((await context.AcceptWebSocketAsync(subProtocol: null)).WebSocket);
        }
    }

    /// <summary>A kernel as ipykernel is: one request at a time, each answered after <see cref="AnswerAfter"/>.</summary>
    private async Task KernelAsync(WebSocket socket)
    {
        var buffer = new byte[64 * 1024];
        try
        {
            while (socket.State == WebSocketState.Open)
            {
                var frame = await socket.ReceiveAsync(buffer, _stop.Token);
                if (frame.MessageType == WebSocketMessageType.Close)
                {
                    return;
                }
                var request = WireCodec.DecodeLegacy(Encoding.UTF8.GetString(buffer, 0, frame.Count));
                if (request.MsgType != "kernel_info_request")
                {
                    continue;
                }
                Interlocked.Increment(ref _requests);
                await Task.Delay(AnswerAfter, _stop.Token);
                foreach (var (channel, type, content) in new[]
                {
                    ("iopub", "status", new JsonObject { ["execution_state"] = "busy" }),
                    ("shell", "kernel_info_reply", new JsonObject { ["status"] = "ok", ["protocol_version"] = "5.3" }),
                    ("iopub", "status", new JsonObject { ["execution_state"] = "idle" }),
                })
                {
                    var message = new KernelMessage(channel,
                        new JsonObject { ["msg_id"] = Guid.NewGuid().ToString("N"), ["msg_type"] = type, ["session"] = "fake", ["version"] = "5.3" },
                        (JsonObject)request.Header.DeepClone(), new JsonObject(), content);
                    await socket.SendAsync(Encoding.UTF8.GetBytes(WireCodec.EncodeLegacy(message)), WebSocketMessageType.Text, true, _stop.Token);
                }
            }
        }
        catch (Exception e) when (e is OperationCanceledException or WebSocketException)
        {
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Stop();
        await _serving;
        _listener.Close();
        _stop.Dispose();
    }
}
