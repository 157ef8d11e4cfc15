using System.Net;
using System.Net.Http.Headers;
using System.Net.Sockets;
using System.Text;
using System.Text.Json.Nodes;

namespace KernelRegression.Jupyter;

/// <summary>
/// The HTTP plumbing shared by the hub and single-user server clients: token auth, a per-request
/// deadline, and errors that name the URL, the status and the fix instead of a bare HttpRequestException.
/// </summary>
public sealed class JupyterHttp : IDisposable
{
    private readonly HttpClient _http;

    public JupyterHttp(Uri baseUrl, string token, string role, TimeSpan? requestTimeout = null)
    {
        BaseUrl = baseUrl.AbsoluteUri.EndsWith('/') ? baseUrl : new Uri(baseUrl.AbsoluteUri + "/");
        Token = token;
        Role = role;
        _http = new HttpClient(new SocketsHttpHandler
        {
            ConnectTimeout = TimeSpan.FromSeconds(5),
            AllowAutoRedirect = false,
            UseCookies = false,
        })
        {
            BaseAddress = BaseUrl,
            Timeout = Timeout.InfiniteTimeSpan, // deadlines are per call, below
        };
        _http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("token", token);
        RequestTimeout = requestTimeout ?? Deadline.Of(30);
    }

    public Uri BaseUrl { get; }
    internal string Token { get; }
    /// <summary>What is being talked to, for messages: "JupyterHub", "alice's single-user server".</summary>
    public string Role { get; }
    public TimeSpan RequestTimeout { get; }

    public async Task<(HttpStatusCode Status, JsonNode? Body, HttpResponseMessage Response)> SendAsync(
        HttpMethod method, string path, JsonNode? body, CancellationToken ct, params HttpStatusCode[] accept)
    {
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(ct);
        cts.CancelAfter(RequestTimeout);
        var target = new Uri(BaseUrl, path);
        HttpResponseMessage response;
        for (var hop = 0; ; hop++)
        {
            using var request = new HttpRequestMessage(method, target);
            if (body is not null)
            {
                request.Content = new StringContent(body.ToJsonString(), Encoding.UTF8, "application/json");
            }
            try
            {
                response = await _http.SendAsync(request, cts.Token);
            }
            catch (Exception e) when (e is HttpRequestException or OperationCanceledException && !ct.IsCancellationRequested)
            {
                throw Unreachable(method, path, e);
            }
            // The proxy had no route for the server, so the hub answered: it sends /user/… to /hub/user/…, which
            // sends the request back to /user/… (?redirects=N, after a backoff of its own) when the server is
            // running, or answers that it is not. A browser follows both; any other redirect (a login page)
            // is an answer to report.
            if (hop < MaxRouteRedirects && IsRouteRetry(target, response) is { } again)
            {
                response.Dispose();
                target = again;
                continue;
            }
            break;
        }
        var text = await response.Content.ReadAsStringAsync(ct);
        var status = response.StatusCode;
        if (accept.Contains(status))
        {
            return (status, string.IsNullOrWhiteSpace(text) ? null : TryParse(text), response);
        }
        if (status is HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden)
        {
            throw await AuthErrorAsync(method, path, status, text, ct);
        }
        var to = response.Headers.Location is { } location ? $" to {location}" : "";
        throw new JupyterApiException(
            $"{Role} at {BaseUrl} answered {method} /{path} with {(int)status} {response.ReasonPhrase}{to}: {Reason(text)}",
            "see the message above; the server's log has the full error",
            (int)status, text);
    }

    /// <summary>JupyterHub gives up on a route that stays missing after a few round trips (a 500 "Redirect loop").</summary>
    private const int MaxRouteRedirects = 5;

    private static Uri? IsRouteRetry(Uri requested, HttpResponseMessage response) =>
        response.StatusCode is HttpStatusCode.Found or HttpStatusCode.TemporaryRedirect or HttpStatusCode.SeeOther
            && response.Headers.Location is { } location
            && new Uri(requested, location) is var next
            && next.Authority == requested.Authority
            && SameUserPath(next.AbsolutePath) == SameUserPath(requested.AbsolutePath)
            ? next
            : null;

    /// <summary>A server's path with the hub's /hub/user/ prefix read as /user/ (the same resource, asked of the hub).</summary>
    private static string SameUserPath(string path)
    {
        var hub = path.IndexOf("/hub/user/", StringComparison.Ordinal);
        return hub < 0 ? path : path.Remove(hub, "/hub".Length);
    }

    /// <summary>
    /// JupyterHub answers 403 both to a token it does not know and to one that lacks a scope; asking
    /// who the token belongs to (GET /hub/api/user) tells the two apart, so the fix is the right one.
    /// </summary>
    private async Task<HubAuthException> AuthErrorAsync(HttpMethod method, string path, HttpStatusCode status, string body, CancellationToken ct)
    {
        var what = $"{Role} at {BaseUrl} refused the token for {method} /{path}: {(int)status} {Reason(body)}";
        var known = false;
        if (IsHubApi && path != "user")
        {
            using var probe = new HttpRequestMessage(HttpMethod.Get, "user");
            using var reply = await _http.SendAsync(probe, ct);
            known = reply.IsSuccessStatusCode;
        }
        return known
            ? new HubAuthException(what,
                "the token is valid but lacks a scope this call needs (the harness needs admin:users, admin:servers, access:servers, tokens); grant them to its service or use another token",
                (int)status)
            : IsHubApi
                ? new HubAuthException(what, "the hub does not know this token (wrong, expired or revoked): pass the API token of the harness' service in KR_HUB_TOKEN", (int)status)
                : new HubAuthException(what, "the token does not grant access to this server: use the owner's token, or a service token with access:servers", (int)status);
    }

    private bool IsHubApi => BaseUrl.AbsolutePath.EndsWith("/hub/api/", StringComparison.Ordinal);

    public async Task<Stream> OpenStreamAsync(string path, CancellationToken ct)
    {
        try
        {
            var response = await _http.GetAsync(path, HttpCompletionOption.ResponseHeadersRead, ct);
            if (!response.IsSuccessStatusCode)
            {
                var text = await response.Content.ReadAsStringAsync(ct);
                throw new JupyterApiException(
                    $"{Role} at {BaseUrl} answered GET /{path} with {(int)response.StatusCode}: {Reason(text)}",
                    "the server was not starting when the stream was opened", (int)response.StatusCode, text);
            }
            return await response.Content.ReadAsStreamAsync(ct);
        }
        catch (HttpRequestException e)
        {
            throw Unreachable(HttpMethod.Get, path, e);
        }
    }

    private HubUnreachableException Unreachable(HttpMethod method, string path, Exception e)
    {
        var why = e switch
        {
            OperationCanceledException => $"no answer within {RequestTimeout.TotalSeconds:0} s",
            HttpRequestException { InnerException: SocketException se } => se.SocketErrorCode.ToString(),
            _ => e.Message,
        };
        return new HubUnreachableException(
            $"{Role} at {BaseUrl} did not answer {method} /{path}: {why}",
            "check that the hub is running and the URL (KR_HUB_URL) is right, including scheme, host, port and base path", e);
    }

    private static JsonNode? TryParse(string text)
    {
        try
        {
            return JsonNode.Parse(text);
        }
        catch (System.Text.Json.JsonException)
        {
            return JsonValue.Create(text);
        }
    }

    private static string Reason(string body)
    {
        var message = TryParse(body) is JsonObject o ? o["message"]?.ToString() : null;
        var s = message ?? body;
        return s.Length > 300 ? s[..300] + "…" : s;
    }

    public void Dispose() => _http.Dispose();
}
