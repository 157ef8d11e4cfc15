using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text.Json;
using Microsoft.Playwright;

namespace KernelRegression.Browser;

/// <summary>
/// Everything the student's pages say besides what is on screen: console errors and uncaught
/// exceptions, requests that failed (status ≥ 400 or no response), the page's WebSockets with the
/// close code the page itself saw, cookies Chromium refused to store and why, and every navigation.
/// Attached to a browser context, so it follows popups (the classic notebook opens a new window).
/// </summary>
internal sealed class PageRecorder
{
    // The page's own close event carries the code (1006 = dropped without a close frame); neither
    // Playwright's WebSocket events nor the DevTools protocol report it. Wrapping the constructor keeps
    // every page working as before: the subclass only listens.
    private const string SocketProbe = """
        (() => {
          if (window.__krSocketProbe || !window.WebSocket) return;
          window.__krSocketProbe = true;
          const Native = window.WebSocket;
          const report = (kind, ws, e) => {
            try { window.__krSocket(JSON.stringify({ kind, url: ws.url, code: (e && e.code) || 0, reason: (e && e.reason) || '', clean: !!(e && e.wasClean) })); } catch (_) { }
          };
          window.WebSocket = class extends Native {
            constructor(url, protocols) {
              super(url, protocols);
              report('create', this);
              this.addEventListener('open', () => report('open', this));
              this.addEventListener('close', e => report('close', this, e));
            }
          };
        })();
        """;

    private readonly Stopwatch _clock;
    private readonly ConcurrentQueue<string> _console = new();
    private readonly ConcurrentQueue<FailedRequest> _failed = new();
    private readonly ConcurrentQueue<SocketClose> _closes = new();
    private readonly ConcurrentQueue<SocketOpen> _opened = new();
    private readonly ConcurrentQueue<SocketOpen> _created = new();
    private readonly ConcurrentDictionary<IPage, bool> _watched = new();
    private readonly ConcurrentQueue<string> _navigations = new();
    private readonly ConcurrentQueue<string> _refusedCookies = new();
    private readonly List<ICDPSession> _sessions = [];
    private readonly ConcurrentDictionary<IRequest, TimeSpan> _inFlight = new();

    private PageRecorder(Stopwatch clock) => _clock = clock;

    public IReadOnlyList<string> ConsoleErrors => [.. _console];
    public IReadOnlyList<FailedRequest> FailedRequests => [.. _failed];
    public IReadOnlyList<SocketClose> SocketCloses => [.. _closes];
    public IReadOnlyList<SocketOpen> SocketsOpened => [.. _opened];
    /// <summary>WebSockets the page asked for (the server may hold the upgrade: the classic notebook waits for kernel_info first).</summary>
    public IReadOnlyList<SocketOpen> SocketsCreated => [.. _created];
    public IReadOnlyList<string> Navigations => [.. _navigations];
    /// <summary>Requests of the page still without an answer, with how long they have waited (e.g. POST api/sessions while a kernel starts).</summary>
    public IReadOnlyList<(string Method, string Url, string ResourceType, TimeSpan Waiting)> Unanswered =>
        [.. _inFlight.Select(r => (r.Key.Method, Secrets.Redact(r.Key.Url), r.Key.ResourceType, _clock.Elapsed - r.Value)).OrderByDescending(r => r.Item4)];

    /// <summary>Set-Cookie headers Chromium did not store, each with its reasons (e.g. DomainMismatch).</summary>
    public IReadOnlyList<string> RefusedCookies => [.. _refusedCookies];

    public static async Task<PageRecorder> AttachAsync(IBrowserContext context, Stopwatch clock)
    {
        var recorder = new PageRecorder(clock);
        await context.ExposeBindingAsync<string>("__krSocket", (_, json) => recorder.OnSocket(json));
        await context.AddInitScriptAsync(SocketProbe);
        context.Console += (_, m) =>
        {
            if (m.Type == "error")
            {
                recorder.AddConsole(m.Location is { Length: > 0 } at ? $"{m.Text} ({Path(at)})" : m.Text);
            }
        };
        context.WebError += (_, e) => recorder.AddConsole("uncaught: " + e.Error.Split('\n')[0]);
        context.Response += (_, r) =>
        {
            if (r.Status >= 400)
            {
                recorder._failed.Enqueue(new FailedRequest(Secrets.Redact(r.Url), r.Status, null, r.Request.ResourceType));
            }
        };
        context.Request += (_, r) => recorder._inFlight[r] = clock.Elapsed;
        context.RequestFinished += (_, r) => recorder._inFlight.TryRemove(r, out var _);
        context.RequestFailed += (_, r) =>
        {
            recorder._inFlight.TryRemove(r, out var _);
            // A navigation that replaced a loading page aborts the old requests: that is the browser, not the server.
            if (r.Failure is { } f && !f.Contains("ERR_ABORTED", StringComparison.Ordinal))
            {
                recorder._failed.Enqueue(new FailedRequest(Secrets.Redact(r.Url), null, f, r.ResourceType));
            }
        };
        return recorder;
    }

    /// <summary>How many console errors the pages logged; the first <see cref="ConsoleKept"/> are kept (a page in a loop logs tens of thousands).</summary>
    public int ConsoleErrorCount => _consoleCount;
    public const int ConsoleKept = 200;
    private int _consoleCount;

    private void AddConsole(string line)
    {
        if (Interlocked.Increment(ref _consoleCount) <= ConsoleKept)
        {
            _console.Enqueue(Secrets.Redact(line));
        }
    }

    /// <summary>Follows a page's navigations and, through the DevTools protocol, the cookies it refuses.</summary>
    public async Task WatchAsync(IBrowserContext context, IPage page)
    {
        if (!_watched.TryAdd(page, true))
        {
            return;
        }
        page.FrameNavigated += (_, f) =>
        {
            if (f.ParentFrame is null)
            {
                _navigations.Enqueue(Secrets.Redact(f.Url));
            }
        };
        var cdp = await context.NewCDPSessionAsync(page);
        cdp.Event("Network.responseReceivedExtraInfo").OnEvent += (_, e) => OnExtraInfo(e);
        await cdp.SendAsync("Network.enable");
        lock (_sessions)
        {
            _sessions.Add(cdp);
        }
    }

    private void OnExtraInfo(JsonElement? e)
    {
        if (e is not { } info || !info.TryGetProperty("blockedCookies", out var blocked) || blocked.ValueKind != JsonValueKind.Array)
        {
            return;
        }
        foreach (var b in blocked.EnumerateArray())
        {
            var line = b.TryGetProperty("cookieLine", out var l) ? l.GetString() ?? "" : "";
            var reasons = b.TryGetProperty("blockedReasons", out var r) && r.ValueKind == JsonValueKind.Array
                ? string.Join(", ", r.EnumerateArray().Select(x => x.GetString()))
                : "";
            _refusedCookies.Enqueue($"{CookieWithoutValue(line)} ({reasons})");
        }
    }

    /// <summary>Completes when the page has created (<paramref name="opened"/> false) or opened a WebSocket whose URL contains <paramref name="fragment"/>, counting from the <paramref name="after"/>-th on.</summary>
    public async Task WaitForSocketAsync(string fragment, int after, TimeSpan timeout, bool opened = true)
    {
        var list = opened ? _opened : _created;
        using var cts = new CancellationTokenSource(timeout);
        while (true)
        {
            var signal = _socketOpened.Task;
            if (list.Skip(after).Any(o => o.Url.Contains(fragment, StringComparison.Ordinal)))
            {
                return;
            }
            await signal.WaitAsync(cts.Token).ConfigureAwait(false);
        }
    }

    private volatile TaskCompletionSource _socketOpened = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private void OnSocket(string json)
    {
        using var doc = JsonDocument.Parse(json);
        var root = doc.RootElement;
        var url = Secrets.Redact(root.GetProperty("url").GetString() ?? "");
        var kind = root.GetProperty("kind").GetString();
        if (kind is "open" or "create")
        {
            (kind == "open" ? _opened : _created).Enqueue(new SocketOpen(url, _clock.Elapsed));
            Interlocked.Exchange(ref _socketOpened, new(TaskCreationOptions.RunContinuationsAsynchronously)).TrySetResult();
            return;
        }
        _closes.Enqueue(new SocketClose(url, root.GetProperty("code").GetInt32(), root.GetProperty("reason").GetString() ?? "",
            root.GetProperty("clean").GetBoolean(), _clock.Elapsed));
    }

    /// <summary>A Set-Cookie line without its value (values are session secrets): name and attributes.</summary>
    internal static string CookieWithoutValue(string setCookie)
    {
        var parts = setCookie.Split(';', StringSplitOptions.TrimEntries);
        var eq = parts[0].IndexOf('=', StringComparison.Ordinal);
        var name = eq < 0 ? parts[0] : parts[0][..eq];
        return string.Join("; ", [name + "=…", .. parts.Skip(1)]);
    }

    /// <summary>The path of a URL with its query (cache-busting ?v=…) dropped.</summary>
    internal static string Path(string url) =>
        Uri.TryCreate(url, UriKind.Absolute, out var u) ? u.AbsolutePath : url.Split('?')[0];

    public async Task DetachAsync()
    {
        List<ICDPSession> sessions;
        lock (_sessions)
        {
            sessions = [.. _sessions];
            _sessions.Clear();
        }
        foreach (var s in sessions)
        {
            try
            {
                await s.DetachAsync();
            }
            catch (PlaywrightException)
            {
                // the page is already gone
            }
        }
    }
}
