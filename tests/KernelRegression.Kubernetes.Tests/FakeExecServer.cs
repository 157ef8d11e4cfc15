using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.WebSockets;
using System.Text;

namespace KernelRegression.Kubernetes.Tests;

/// <summary>
/// The API server's and kubelet's end of a pod exec, for the real KubernetesClient's WebSocket
/// (which connects to the client's host, not through its HTTP handler): an HttpListener that upgrades
/// /api/v1/namespaces/NS/pods/NAME/exec to the v4 channel protocol, runs the requested command on this
/// machine as the container runtime would in the container, and frames it as the kubelet does: an
/// empty frame per output channel at the start, stdout on channel 1, stderr on 2, stdin from 0, the
/// exit status as a v1 Status on 3, then the close. When the client closes the WebSocket, the
/// command's stdin is closed (containerd's exec closes stdin when the stream ends). What runs the
/// command is this machine, not a container; a test that needs a pod's pid namespace makes one and
/// gives <see cref="Start"/> the `nsenter` that runs each command inside it, as the runtime
/// enters the container's namespaces for an exec.
/// </summary>
internal sealed class FakeExecServer : IAsyncDisposable
{
    public const string Protocol = "v4.channel.k8s.io";
    private readonly LocalHttpServer _listener;
    private readonly Func<IReadOnlyList<string>, IReadOnlyList<string>> _inContainer;

    private FakeExecServer(HttpStatusCode? refuse, Func<IReadOnlyList<string>, IReadOnlyList<string>>? inContainer)
    {
        Refuse = refuse;
        _inContainer = inContainer ?? (c => c);
        _listener = new LocalHttpServer(ServeRecordingFailuresAsync);
    }

    /// <summary>Answers every upgrade with this status and a v1 Status body instead of 101.</summary>
    public HttpStatusCode? Refuse { get; }
    public Uri Url => _listener.Url;
    /// <summary>Each exec request: its path, its query decoded, the subprotocols it asked for.</summary>
    public ConcurrentQueue<ExecRequest> Requests { get; } = new();
    /// <summary>Each command's end: its exit code and how long after the client's close it exited (null: it ended by itself).</summary>
    public ConcurrentQueue<CommandEnd> Ended { get; } = new();
    /// <summary>What went wrong on the server's side (a refused upgrade, a command that would not start): a test asserts it is empty.</summary>
    public ConcurrentQueue<string> Failures { get; } = new();

    /// <param name="inContainer">What runs the requested command (e.g. nsenter into a pid namespace); the command itself by default.</param>
    public static FakeExecServer Start(HttpStatusCode? refuse = null, Func<IReadOnlyList<string>, IReadOnlyList<string>>? inContainer = null) => new(refuse, inContainer);

    private async Task ServeRecordingFailuresAsync(HttpListenerContext context, CancellationToken ct)
    {
        try
        {
            await ServeOneAsync(context);
        }
        catch (Exception e)
        {
            Failures.Enqueue(e.ToString());
        }
    }

    private async Task ServeOneAsync(HttpListenerContext context)
    {
        var request = context.Request;
        var query = System.Web.HttpUtility.ParseQueryString(request.Url!.Query);
        var exec = new ExecRequest(request.Url.AbsolutePath, query.GetValues("command") ?? [], query["container"], query["stdin"], query["stdout"],
            query["stderr"], query["tty"], request.Headers["Sec-WebSocket-Protocol"] ?? "");
        Requests.Enqueue(exec);
        if (Refuse is { } code || !request.IsWebSocketRequest)
        {
            var status = Refuse ?? HttpStatusCode.BadRequest;
            var body = Encoding.UTF8.GetBytes($$"""{"kind":"Status","apiVersion":"v1","metadata":{},"status":"Failure","message":"unable to upgrade connection: container not found (\"notebook\")","reason":"BadRequest","code":{{(int)status}}}""");
            context.Response.StatusCode = (int)status;
            context.Response.ContentType = "application/json";
            await context.Response.OutputStream.WriteAsync(body);
            context.Response.Close();
            return;
        }
        var socket = (await context.AcceptWebSocketAsync(Protocol)).WebSocket;
        await RunAsync(socket, _inContainer(exec.Command));
    }

    private async Task RunAsync(WebSocket socket, IReadOnlyList<string> command)
    {
        var info = new ProcessStartInfo(command[0]) { RedirectStandardInput = true, RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in command.Skip(1))
        {
            info.ArgumentList.Add(a);
        }
        using var process = Process.Start(info)!;
        using var sending = new SemaphoreSlim(1);
        async Task Send(byte channel, ReadOnlyMemory<byte> data)
        {
            var frame = new byte[data.Length + 1];
            frame[0] = channel;
            data.CopyTo(frame.AsMemory(1));
            await sending.WaitAsync();
            try
            {
                if (socket.State is WebSocketState.Open or WebSocketState.CloseReceived)
                {
                    await socket.SendAsync(frame, WebSocketMessageType.Binary, true, CancellationToken.None);
                }
            }
            catch (Exception e) when (e is WebSocketException or ObjectDisposedException)
            {
                // the client is gone: what the command still writes goes nowhere, as with a broken stream
            }
            finally
            {
                sending.Release();
            }
        }
        async Task Pump(Stream from, byte channel)
        {
            var buffer = new byte[4096];
            int n;
            while ((n = await from.ReadAsync(buffer)) > 0)
            {
                await Send(channel, buffer.AsMemory(0, n));
            }
        }
        foreach (var channel in new byte[] { 1, 2, 3 })
        {
            await Send(channel, ReadOnlyMemory<byte>.Empty);
        }
        var output = Pump(process.StandardOutput.BaseStream, 1);
        var errors = Pump(process.StandardError.BaseStream, 2);
        Stopwatch? sinceClose = null;
        var receiving = Task.Run(async () =>
        {
            var buffer = new byte[4096];
            try
            {
                while (true)
                {
                    var result = await socket.ReceiveAsync(buffer, CancellationToken.None);
                    if (result.MessageType == WebSocketMessageType.Close)
                    {
                        break;
                    }
                    if (result.Count > 1 && buffer[0] == 0)
                    {
                        await process.StandardInput.BaseStream.WriteAsync(buffer.AsMemory(1, result.Count - 1));
                        await process.StandardInput.BaseStream.FlushAsync();
                    }
                }
            }
            catch (Exception e) when (e is WebSocketException or ObjectDisposedException or IOException)
            {
                // an aborted connection ends the stream as a close does
            }
            sinceClose = Stopwatch.StartNew();
            process.StandardInput.Close();
        });
        using var bounded = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        try
        {
            await process.WaitForExitAsync(bounded.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync(CancellationToken.None);
        }
        await Task.WhenAll(output, errors);
        var exitCode = process.ExitCode;
        Ended.Enqueue(new CommandEnd(exitCode, sinceClose?.Elapsed));
        var status = exitCode == 0
            ? """{"metadata":{},"status":"Success"}"""
            : """{"metadata":{},"status":"Failure","reason":"NonZeroExitCode","details":{"causes":[{"reason":"ExitCode","message":"EXIT"}]}}""".Replace("EXIT", exitCode.ToString(System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal);
        await Send(3, Encoding.UTF8.GetBytes(status));
        try
        {
            if (socket.State is WebSocketState.Open or WebSocketState.CloseReceived)
            {
                await socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, "", CancellationToken.None);
            }
        }
        catch (Exception e) when (e is WebSocketException or ObjectDisposedException)
        {
        }
        await receiving.WaitAsync(TimeSpan.FromSeconds(5)).ContinueWith(_ => { }, TaskScheduler.Default);
        socket.Dispose();
    }

    /// <summary>Completes when a command has ended; fails after <paramref name="within"/>.</summary>
    public async Task<CommandEnd> EndedAsync(TimeSpan within)
    {
        var deadline = Stopwatch.StartNew();
        while (deadline.Elapsed < within)
        {
            if (Ended.TryPeek(out var end))
            {
                return end;
            }
            await Task.Delay(20);
        }
        throw new TimeoutException($"no exec command ended within {within.TotalSeconds} s");
    }

    public ValueTask DisposeAsync() => _listener.DisposeAsync();
}

internal sealed record ExecRequest(string Path, IReadOnlyList<string> Command, string? Container, string? Stdin, string? Stdout, string? Stderr, string? Tty, string Protocols);

internal sealed record CommandEnd(int ExitCode, TimeSpan? AfterClose);
