using System.Net.WebSockets;
using System.Text;
using System.Text.Json.Nodes;

namespace KernelRegression.Tests.Jupyter;

/// <summary>
/// Waiting for a kernel to be ready, against a stand-in server whose kernel answers each kernel_info_request
/// only after the client's resend interval (1 s): a loaded machine. A reply to any request sent must count.
/// </summary>
public sealed class KernelReadinessTests : IAsyncDisposable
{
    private static readonly TimeSpan AnswerAfter = TimeSpan.FromSeconds(1.5);
    private readonly LocalHttpServer _listener;
    private readonly Uri _server;
    private int _requests;

    public KernelReadinessTests()
    {
        _listener = new LocalHttpServer(async (context, ct) => await KernelAsync((await context.AcceptWebSocketAsync(subProtocol: null)).WebSocket, ct));
        _server = new Uri(_listener.Url, "user/alice/");
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

    /// <summary>A kernel as ipykernel is: one request at a time, each answered after <see cref="AnswerAfter"/>.</summary>
    private async Task KernelAsync(WebSocket socket, CancellationToken ct)
    {
        var buffer = new byte[64 * 1024];
        try
        {
            while (socket.State == WebSocketState.Open)
            {
                var frame = await socket.ReceiveAsync(buffer, ct);
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
                await Task.Delay(AnswerAfter, ct);
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
                    await socket.SendAsync(Encoding.UTF8.GetBytes(WireCodec.EncodeLegacy(message)), WebSocketMessageType.Text, true, ct);
                }
            }
        }
        catch (Exception e) when (e is OperationCanceledException or WebSocketException)
        {
        }
    }

    public ValueTask DisposeAsync() => _listener.DisposeAsync();
}
