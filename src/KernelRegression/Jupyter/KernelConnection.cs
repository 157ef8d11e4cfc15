using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net.WebSockets;
using System.Text.Json.Nodes;
using KernelRegression.Logs;
using Websocket.Client;

namespace KernelRegression.Jupyter;

/// <summary>
/// A kernel's channels WebSocket: sends requests, correlates replies and outputs by parent msg_id,
/// records every message on a <see cref="Timeline"/>, and turns the server's "restarting"/"dead"
/// status (or the socket closing) into a typed lifecycle event and a <see cref="KernelDiedException"/>
/// for every pending request, the moment it arrives.
/// </summary>
public sealed partial class KernelConnection : IAsyncDisposable
{
    private sealed class Pending
    {
        public readonly TaskCompletionSource<KernelMessage> Reply = new(TaskCreationOptions.RunContinuationsAsynchronously);
        public readonly TaskCompletionSource Idle = new(TaskCreationOptions.RunContinuationsAsynchronously);
        public readonly ConcurrentQueue<KernelMessage> IoPub = new();
    }

    private readonly WebsocketClient _socket;
    private readonly ServerClient _server;
    private readonly ConcurrentDictionary<string, Pending> _pending = new();
    private readonly TaskCompletionSource<KernelLifecycleEvent> _died = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly List<IDisposable> _subscriptions = [];
    private readonly string _session = Guid.NewGuid().ToString("N");
    private readonly LogTail? _log;
    private readonly int _logFrom;
    private readonly Stopwatch _sinceOpen = Stopwatch.StartNew();
    private volatile bool _expectRestart;

    private KernelConnection(ServerClient server, string kernelId, WebsocketClient socket, LogTail? log, int logFrom)
    {
        _server = server;
        KernelId = kernelId;
        _socket = socket;
        _log = log;
        _logFrom = logFrom;
    }

    public string KernelId { get; }
    /// <summary>"v1.kernel.websocket.jupyter.org" when the server chose it, else "legacy".</summary>
    public string Protocol { get; private set; } = "legacy";
    public Timeline Timeline { get; } = new();

    /// <summary>Set when this kernel's first process lost the port race at start and this connection followed its relaunch: why.</summary>
    public string? RelaunchedAtStart { get; internal set; }
    /// <summary>Last execution_state seen: from iopub status, or from the REST model when refreshed.</summary>
    public string ExecutionState { get; private set; } = "unknown";
    public IReadOnlyList<KernelLifecycleEvent> LifecycleEvents => [.. _lifecycle];
    private readonly ConcurrentQueue<KernelLifecycleEvent> _lifecycle = new();

    /// <summary>Raised for every message from the kernel, as it is decoded (before replies are matched).</summary>
    public event Action<KernelMessage>? Received;

    /// <summary>Raised for every restarting/dead/disconnected event, as it is seen.</summary>
    public event Action<KernelLifecycleEvent>? Lifecycle;

    /// <summary>Completes when the kernel is seen dying (restarting, dead, gone) outside an intended restart.</summary>
    public Task<KernelLifecycleEvent> Died => _died.Task;

    /// <param name="log">The log the kernel's own stderr lands in (server log on the process tier, container log on docker).</param>
    /// <param name="logFrom">Line index in <paramref name="log"/> from which this kernel's lines start.</param>
    /// <param name="attach">Called with the connection before its handshake, to wire death signals (a process watch) that may fire during it.</param>
    public static async Task<KernelConnection> OpenAsync(ServerClient server, string kernelId, LogTail? log, int logFrom, CancellationToken ct,
        Action<KernelConnection>? attach = null)
    {
        var session = Guid.NewGuid().ToString("N");
        var http = server.ServerUrl;
        var ws = new UriBuilder(new Uri(http, $"api/kernels/{kernelId}/channels?session_id={session}"))
        {
            Scheme = http.Scheme == "https" ? "wss" : "ws",
        }.Uri;
        var socket = new WebsocketClient(ws, () =>
        {
            var native = new ClientWebSocket();
            // Authorization on the upgrade request too (yuvipanda/hubtraf#29); offer v1, accept legacy.
            native.Options.SetRequestHeader("Authorization", "token " + server.Token);
            native.Options.AddSubProtocol(WireCodec.V1Protocol);
            native.Options.KeepAliveInterval = TimeSpan.FromSeconds(20);
            return native;
        })
        {
            IsReconnectionEnabled = false,
            // Servers hold the handshake until the kernel answers kernel_info, up to their kernel_info_timeout
            // (60 s; notebook 6 waits it out when its first request is lost): outlast it, not the library's 5 s.
            ConnectTimeout = Deadline.Of(90),
            ReconnectTimeout = null,
            ErrorReconnectTimeout = null,
            IsTextMessageConversionEnabled = false,
            Name = $"kernel-{kernelId}",
        };
        var connection = new KernelConnection(server, kernelId, socket, log, logFrom);
        connection._subscriptions.Add(socket.MessageReceived.Subscribe(connection.OnFrame));
        connection._subscriptions.Add(socket.DisconnectionHappened.Subscribe(d => connection.OnDisconnected(d)));
        connection.WatchServerLog(logFrom);
        attach?.Invoke(connection);
        try
        {
            // Servers hold the handshake until the kernel answers kernel_info (up to 60 s): a kernel
            // that dies meanwhile is seen through the server's log, not by waiting the handshake out.
            await Deadline.RunAsync($"the kernel {kernelId} channels WebSocket to open", Deadline.Of(95), async t =>
            {
                var open = socket.StartOrFail();
                if (await Task.WhenAny(open, connection._died.Task).WaitAsync(t) != open)
                {
                    var died = await connection.DiedException(connection._died.Task.Result);
                    socket.Dispose();
                    throw died;
                }
                await open;
            }, () => "no handshake", ct);
        }
        catch (Exception e) when (e is WebSocketException or Websocket.Client.Exceptions.WebsocketException)
        {
            socket.Dispose();
            var detail = e.InnerException?.Message ?? e.Message;
            throw detail.Contains("403", StringComparison.Ordinal) || detail.Contains("401", StringComparison.Ordinal)
                ? new HubAuthException($"the single-user server refused the kernel WebSocket {ws.AbsolutePath}: {detail}",
                    "use a token with access to this user's server (a user token, or a service with access:servers)", 403)
                : new HubUnreachableException($"the kernel WebSocket {ws} did not open: {detail}",
                    "check that the kernel exists and that proxies in between pass WebSocket upgrades (z2jh issues 2013, 2366)", e);
        }
        connection.Protocol = socket.NativeClient?.SubProtocol is { Length: > 0 } p ? p : "legacy";
        connection.Timeline.Add("!", "ws", "open", "", null, $"protocol {connection.Protocol}");
        return connection;
    }

    /// <summary>The last kernel_info_reply, and the iopub status that closed that request ("idle" when ready).</summary>
    public KernelMessage? KernelInfo { get; private set; }
    public string? ReadyState { get; private set; }

    /// <summary>
    /// kernel_info_request until a reply comes (the first may be lost while iopub subscribes), then the
    /// idle status of the request answered: the kernel is ready only when both are in. A reply to any of
    /// the requests sent counts, as in jupyter_client's wait_for_ready: on a loaded machine a reply can
    /// take longer than the resend interval, and waiting only for the newest request would miss them all.
    /// Other requests' statuses (the server's own nudges) do not count.
    /// </summary>
    public async Task<KernelMessage> KernelInfoAsync(TimeSpan timeout, CancellationToken ct)
    {
        var sent = new List<(KernelMessage Request, Pending Pending)>();
        try
        {
            return await Deadline.RunAsync($"kernel {KernelId} to answer kernel_info_request and go idle", timeout, async t =>
            {
                var resend = TimeSpan.FromSeconds(1);
                while (true)
                {
                    var request = KernelMessage.Request("shell", "kernel_info_request", _session);
                    sent.Add((request, Send(request)));
                    var died = _died.Task;
                    var replies = sent.Select(s => (Task)s.Pending.Reply.Task).ToList();
                    var done = await Task.WhenAny([.. replies, Task.Delay(resend, t), died]);
                    if (done == died)
                    {
                        throw await DiedException(died.Result);
                    }
                    if (sent.FirstOrDefault(s => s.Pending.Reply.Task.IsCompletedSuccessfully) is { Pending: { } answered })
                    {
                        var reply = await answered.Reply.Task;
                        if (await Task.WhenAny(answered.Idle.Task, died).WaitAsync(t) == died)
                        {
                            throw await DiedException(died.Result);
                        }
                        KernelInfo = reply;
                        ReadyState = answered.IoPub.LastOrDefault(m => m.MsgType == "status")?.ContentString("execution_state");
                        return reply;
                    }
                    t.ThrowIfCancellationRequested();
                    // Each unanswered request waits in the kernel's queue: resend less often the longer it takes.
                    resend = TimeSpan.FromSeconds(Math.Min(resend.TotalSeconds * 2, 5));
                }
            }, () => $"execution_state={ExecutionState}; {sent.Count} kernel_info_request(s) sent, none answered; {(Timeline.Entries is [.., var last] ? last : null)}", ct, () => _log?.Tail(20));
        }
        finally
        {
            foreach (var (request, _) in sent)
            {
                _pending.TryRemove(request.MsgId, out _);
            }
        }
    }

    /// <summary>Runs a cell: gathers its outputs and returns once the reply and the idle status are in.</summary>
    /// <param name="stopOnError">
    /// What a frontend sends (true): an error aborts what is queued behind it. ipykernel keeps aborting
    /// until its event loop comes round after the error reply, so a request sent the moment that reply
    /// arrives (a harness, never a person) can be answered "aborted". Cells meant to fail pass false.
    /// </param>
    public async Task<ExecutionResult> ExecuteAsync(string code, TimeSpan timeout, CancellationToken ct, bool stopOnError = true)
    {
        var request = KernelMessage.Request("shell", "execute_request", _session, new JsonObject
        {
            ["code"] = code, ["silent"] = false, ["store_history"] = true,
            ["user_expressions"] = new JsonObject(), ["allow_stdin"] = false, ["stop_on_error"] = stopOnError,
        });
        var result = new ExecutionResult { MsgId = request.MsgId, Code = code };
        var sw = Stopwatch.StartNew();
        var pending = Send(request);
        try
        {
            var reply = await AwaitAlive(pending.Reply.Task, $"execute_reply for `{Short(code)}`", timeout, ct);
            await AwaitAlive(pending.Idle.Task.ContinueWith(_ => reply, TaskScheduler.Default), "idle after execute", timeout, ct);
            result.Status = reply.ContentString("status") ?? "";
            result.ExecutionCount = reply.Content["execution_count"] is JsonValue v && v.TryGetValue<int>(out var n) ? n : null;
            result.Outputs.AddRange(pending.IoPub.Where(m => m.MsgType is "stream" or "execute_result" or "display_data" or "error"));
            result.Duration = sw.Elapsed;
            return result;
        }
        finally
        {
            _pending.TryRemove(request.MsgId, out _);
        }
    }

    /// <summary>Counts intended restarts, so a process exit they caused is not taken for a death.</summary>
    public int RestartEpoch => _restartEpoch;
    private int _restartEpoch;
    private readonly ConcurrentDictionary<int, int> _epochOfPid = new();

    /// <summary>The tier saw a process of this kernel appear (its start or a restart).</summary>
    public void ReportKernelProcessFound(int pid) => _epochOfPid.TryAdd(pid, _restartEpoch);

    /// <summary>The tier saw a process of this kernel exit: a death, unless an intended restart came since it was found.</summary>
    public void ReportKernelProcessExit(int pid, string source)
    {
        if (_epochOfPid.GetValueOrDefault(pid, _restartEpoch) == _restartEpoch)
        {
            RaiseLifecycle(KernelLifecycle.Restarting, source);
        }
    }

    /// <summary>Whether the kernel answers kernel_info within <paramref name="timeout"/> (a frozen kernel does not).</summary>
    public async Task<bool> RespondsWithinAsync(TimeSpan timeout, CancellationToken ct)
    {
        var request = KernelMessage.Request("shell", "kernel_info_request", _session);
        var pending = Send(request);
        try
        {
            return await Task.WhenAny(pending.Reply.Task, Task.Delay(timeout, ct)) == pending.Reply.Task;
        }
        finally
        {
            _pending.TryRemove(request.MsgId, out _);
        }
    }

    /// <summary>Tell the connection a restart is intended, so the server's "restarting" status is not taken as a death.</summary>
    public IDisposable ExpectRestart()
    {
        Interlocked.Increment(ref _restartEpoch);
        _expectRestart = true;
        return new Release(() => _expectRestart = false);
    }

    /// <summary>Refreshes <see cref="ExecutionState"/> from the REST model; null when the server no longer lists the kernel.</summary>
    public async Task<KernelModel?> RefreshFromServerAsync(CancellationToken ct)
    {
        var model = await _server.GetKernelAsync(KernelId, ct);
        ExecutionState = model?.ExecutionState ?? "gone";
        Timeline.Add("!", "rest", "kernel_model", "", null, ExecutionState);
        if (model is null)
        {
            RaiseLifecycle(KernelLifecycle.Dead, "GET /api/kernels/ID returned 404");
        }
        return model;
    }

    private Pending Send(KernelMessage m)
    {
        var pending = _pending.GetOrAdd(m.MsgId, _ => new Pending());
        Timeline.Add("→", m.Channel, m.MsgType, m.MsgId, null, m.Summary());
        if (Protocol == WireCodec.V1Protocol)
        {
            _socket.Send(WireCodec.EncodeV1(m));
        }
        else
        {
            _socket.Send(WireCodec.EncodeLegacy(m));
        }
        return pending;
    }

    private async Task<T> AwaitAlive<T>(Task<T> task, string awaited, TimeSpan timeout, CancellationToken ct) =>
        await Deadline.RunAsync(awaited, timeout, async t =>
        {
            var died = _died.Task;
            var done = await Task.WhenAny(task, died).WaitAsync(t);
            if (done == died && !task.IsCompleted)
            {
                throw await DiedException(died.Result);
            }
            return await task;
        }, () => $"execution_state={ExecutionState}; {(Timeline.Entries is [.., var last] ? last : null)}", ct, () => _log?.Tail(20));

    private void OnFrame(ResponseMessage frame)
    {
        KernelMessage m;
        try
        {
            m = WireCodec.Decode(frame.Binary, frame.Text);
        }
        catch (Exception e) when (e is FormatException or System.Text.Json.JsonException)
        {
            Timeline.Add("←", "?", "undecodable", "", null, e.Message);
            return;
        }
        Timeline.Add("←", m.Channel, m.MsgType, m.MsgId, m.ParentMsgId, m.Summary());
        Received?.Invoke(m);
        if (m.Channel == "iopub" && m.MsgType == "status")
        {
            var state = m.ContentString("execution_state") ?? "unknown";
            ExecutionState = state;
            if (state is "restarting" or "dead")
            {
                RaiseLifecycle(state == "dead" ? KernelLifecycle.Dead : KernelLifecycle.Restarting, $"iopub status {state}");
            }
        }
        if (m.ParentMsgId is { } parent && _pending.TryGetValue(parent, out var pending))
        {
            if (m.Channel == "iopub")
            {
                pending.IoPub.Enqueue(m);
                if (m.MsgType == "status" && m.ContentString("execution_state") == "idle")
                {
                    pending.Idle.TrySetResult();
                }
            }
            else if (m.MsgType.EndsWith("_reply", StringComparison.Ordinal))
            {
                pending.Reply.TrySetResult(m);
            }
        }
    }

    private void OnDisconnected(DisconnectionInfo info)
    {
        if (info.Type is DisconnectionType.Exit or DisconnectionType.ByUser)
        {
            return;
        }
        RaiseLifecycle(KernelLifecycle.Disconnected, $"WebSocket closed: {info.Type} {info.CloseStatus} {info.CloseStatusDescription ?? info.Exception?.Message}".TrimEnd());
    }

    private void RaiseLifecycle(KernelLifecycle kind, string source)
    {
        var e = new KernelLifecycleEvent(kind, _sinceOpen.Elapsed, source);
        _lifecycle.Enqueue(e);
        Timeline.Add("!", "life", kind.ToString().ToLowerInvariant(), "", null, source);
        Lifecycle?.Invoke(e);
        if (!(_expectRestart && kind == KernelLifecycle.Restarting))
        {
            _died.TrySetResult(e);
        }
    }

    private static string Short(string code) => code.Length > 40 ? code[..40] + "…" : code.Replace("\n", "; ", StringComparison.Ordinal);

    public async ValueTask DisposeAsync()
    {
        foreach (var s in _subscriptions)
        {
            s.Dispose();
        }
        if (_socket.IsRunning)
        {
            try
            {
                await _socket.Stop(WebSocketCloseStatus.NormalClosure, "done").WaitAsync(TimeSpan.FromSeconds(3));
            }
            catch (Exception)
            {
                // Closing a socket whose kernel is gone may fail; nothing to clean up beyond Dispose.
            }
        }
        _socket.Dispose();
    }

    private sealed class Release(Action release) : IDisposable
    {
        public void Dispose() => release();
    }
}
