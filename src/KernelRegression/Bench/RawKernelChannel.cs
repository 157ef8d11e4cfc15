using System.Buffers;
using System.Globalization;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json;

namespace KernelRegression.Bench;

/// <summary>
/// The raw floor's WebSocket side: one System.Net.WebSockets.ClientWebSocket on a kernel's channels,
/// legacy JSON frames, a request sent and frames read in place until its reply and idle status.
/// No background loop, no timeline, no correlation table.
/// </summary>
public sealed class RawKernelChannel : IAsyncDisposable
{
    private readonly ClientWebSocket _socket = new();
    private readonly string _session = Guid.NewGuid().ToString("N");
    private readonly byte[] _buffer = new byte[64 * 1024];

    private RawKernelChannel()
    {
    }

    public static async Task<RawKernelChannel> OpenAsync(Uri hubUrl, string user, string kernelId, string userToken, CancellationToken ct)
    {
        var c = new RawKernelChannel();
        c._socket.Options.SetRequestHeader("Authorization", "token " + userToken);
        var ws = new Uri($"ws://{hubUrl.Authority}/user/{user}/api/kernels/{kernelId}/channels?session_id={c._session}");
        await c._socket.ConnectAsync(ws, ct);
        return c;
    }

    /// <summary>kernel_info_request, then frames until its reply and the idle status.</summary>
    public Task KernelInfoAsync(CancellationToken ct) => RoundTripAsync("kernel_info_request", "{}", ct);

    /// <summary>execute_request, then frames until its execute_reply and the idle status.</summary>
    public Task ExecuteAsync(string code, CancellationToken ct) =>
        RoundTripAsync("execute_request",
            $"{{\"code\":{JsonSerializer.Serialize(code)},\"silent\":false,\"store_history\":true,\"user_expressions\":{{}},\"allow_stdin\":false,\"stop_on_error\":true}}", ct);

    /// <summary>Reads frames until an iopub status "restarting" or "dead" arrives (the server's word that the kernel died).</summary>
    public async Task WaitForDeathAsync(CancellationToken ct)
    {
        while (true)
        {
            using var doc = await ReceiveAsync(ct);
            var root = doc.RootElement;
            if (root.GetProperty("channel").GetString() == "iopub" && Type(root) == "status"
                && root.GetProperty("content").GetProperty("execution_state").GetString() is "restarting" or "dead")
            {
                return;
            }
        }
    }

    private async Task RoundTripAsync(string msgType, string content, CancellationToken ct)
    {
        var msgId = Guid.NewGuid().ToString("N");
        var frame = $"{{\"channel\":\"shell\",\"header\":{{\"msg_id\":\"{msgId}\",\"username\":\"raw\",\"session\":\"{_session}\",\"date\":\"{DateTimeOffset.UtcNow.ToString("o", CultureInfo.InvariantCulture)}\",\"msg_type\":\"{msgType}\",\"version\":\"5.3\"}},\"parent_header\":{{}},\"metadata\":{{}},\"content\":{content},\"buffers\":[]}}";
        await _socket.SendAsync(Encoding.UTF8.GetBytes(frame), WebSocketMessageType.Text, true, ct);
        bool reply = false, idle = false;
        while (!(reply && idle))
        {
            using var doc = await ReceiveAsync(ct);
            var root = doc.RootElement;
            if (!root.TryGetProperty("parent_header", out var parent) || !parent.TryGetProperty("msg_id", out var p) || p.GetString() != msgId)
            {
                continue;
            }
            var type = Type(root);
            reply |= type.EndsWith("_reply", StringComparison.Ordinal);
            idle |= type == "status" && root.GetProperty("content").GetProperty("execution_state").GetString() == "idle";
        }
    }

    private static string Type(JsonElement root) => root.GetProperty("header").GetProperty("msg_type").GetString() ?? "";

    private async Task<JsonDocument> ReceiveAsync(CancellationToken ct)
    {
        var total = 0;
        byte[]? rented = null;
        try
        {
            while (true)
            {
                var target = rented ?? _buffer;
                if (total == target.Length)
                {
                    var bigger = ArrayPool<byte>.Shared.Rent(target.Length * 2);
                    target.AsSpan(0, total).CopyTo(bigger);
                    if (rented is not null)
                    {
                        ArrayPool<byte>.Shared.Return(rented);
                    }
                    rented = bigger;
                    target = bigger;
                }
                var r = await _socket.ReceiveAsync(target.AsMemory(total), ct);
                if (r.MessageType == WebSocketMessageType.Close)
                {
                    throw new HarnessException("raw channel closed by the server", "the kernel or server went away");
                }
                total += r.Count;
                if (r.EndOfMessage)
                {
                    // A rented buffer goes back to the pool: the document gets its own copy.
                    return JsonDocument.Parse(rented is null ? target.AsMemory(0, total) : target.AsSpan(0, total).ToArray());
                }
            }
        }
        finally
        {
            if (rented is not null)
            {
                ArrayPool<byte>.Shared.Return(rented);
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(2));
            await _socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, "done", cts.Token);
        }
        catch (Exception e) when (e is WebSocketException or OperationCanceledException or ObjectDisposedException)
        {
            // The kernel may be gone; nothing else to release.
        }
        _socket.Dispose();
    }
}
