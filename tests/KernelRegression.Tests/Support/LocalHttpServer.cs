using System.Collections.Concurrent;
using System.Net;

namespace KernelRegression.Tests.Support;

/// <summary>
/// A stand-in server on a free loopback port (a hub, a single-user server, an API server): each request
/// goes to the handler on its own task; disposing stops listening, cancels the handlers and waits for them.
/// </summary>
internal sealed class LocalHttpServer : IAsyncDisposable
{
    private readonly HttpListener _listener = new();
    private readonly CancellationTokenSource _stop = new();
    private readonly ConcurrentQueue<Task> _sessions = new();
    private readonly Func<HttpListenerContext, CancellationToken, Task> _handle;
    private readonly Task _serving;

    public LocalHttpServer(Func<HttpListenerContext, CancellationToken, Task> handle)
    {
        _handle = handle;
        Url = new Uri($"http://127.0.0.1:{FreePort.Next()}/");
        _listener.Prefixes.Add(Url.ToString());
        _listener.Start();
        _serving = ServeAsync();
    }

    public Uri Url { get; }

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
            _sessions.Enqueue(Task.Run(() => _handle(context, _stop.Token)));
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Close();
        await _serving;
        // A handler's own failure is its test's business (it asserts what it recorded); here only the wait.
        await Task.WhenAll(_sessions).WaitAsync(TimeSpan.FromSeconds(25)).ContinueWith(_ => { }, TaskScheduler.Default);
        _stop.Dispose();
    }
}
