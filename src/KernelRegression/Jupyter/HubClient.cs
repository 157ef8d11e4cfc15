using System.Net;
using System.Runtime.CompilerServices;
using System.Text.Json.Nodes;

namespace KernelRegression.Jupyter;

/// <summary>One event of the spawn progress stream (/hub/api/users/NAME/server/progress).</summary>
public sealed record SpawnProgress(TimeSpan At, int? Progress, string Message, bool Ready, bool Failed, string? Url);

/// <summary>The JupyterHub REST API (/hub/api), as the harness' service. Works against JupyterHub 3.x and 5.x.</summary>
public sealed class HubClient : IDisposable
{
    private readonly JupyterHttp _http;

    public HubClient(Uri hubUrl, string token)
    {
        HubUrl = hubUrl;
        // 30 s: POST /server holds the answer up to the hub's slow_spawn_timeout (10 s) before it says 202.
        _http = new JupyterHttp(new Uri(hubUrl, "hub/api/"), token, "JupyterHub", Deadline.Of(30));
    }

    public Uri HubUrl { get; }

    /// <summary>GET /hub/api/: the hub's version (no auth needed).</summary>
    public async Task<string> GetVersionAsync(CancellationToken ct)
    {
        var (_, body, _) = await _http.SendAsync(HttpMethod.Get, "", null, ct, HttpStatusCode.OK);
        return body?["version"]?.ToString()
            ?? throw new JupyterApiException($"{HubUrl} answered /hub/api/ without a version: is it a JupyterHub?",
                "point KR_HUB_URL at the hub's public URL (the proxy), e.g. https://hub.example.org/", 200, body?.ToJsonString() ?? "");
    }

    /// <summary>GET /hub/api/user: who the token belongs to and its scopes. Fails clearly on a bad token.</summary>
    public async Task<JsonObject> WhoAmIAsync(CancellationToken ct)
    {
        var (_, body, _) = await _http.SendAsync(HttpMethod.Get, "user", null, ct, HttpStatusCode.OK);
        return body as JsonObject ?? new JsonObject();
    }

    /// <summary>Checks the token has the scopes a launcher needs, before any user is touched.</summary>
    public async Task EnsureScopesAsync(IEnumerable<string> needed, CancellationToken ct)
    {
        var me = await WhoAmIAsync(ct);
        var scopes = (me["scopes"] as JsonArray)?.Select(s => s?.ToString() ?? "").ToHashSet() ?? [];
        var missing = needed.Where(n => !scopes.Contains(n) && !scopes.Contains("admin:" + n.Split(':').Last())).ToList();
        if (missing.Count > 0)
        {
            throw new HubAuthException(
                $"the token of '{me["name"]}' lacks scopes {string.Join(", ", missing)} (it has: {string.Join(", ", scopes.Order())})",
                "grant the harness' service a role with admin:users, admin:servers, access:servers and tokens", 403);
        }
    }

    public async Task CreateUserAsync(string name, CancellationToken ct) =>
        await _http.SendAsync(HttpMethod.Post, $"users/{Uri.EscapeDataString(name)}", null, ct,
            HttpStatusCode.Created, HttpStatusCode.Conflict);

    public async Task DeleteUserAsync(string name, CancellationToken ct) =>
        await _http.SendAsync(HttpMethod.Delete, $"users/{Uri.EscapeDataString(name)}", null, ct,
            HttpStatusCode.NoContent, HttpStatusCode.NotFound);

    public async Task<JsonObject?> GetUserAsync(string name, CancellationToken ct)
    {
        var (status, body, _) = await _http.SendAsync(HttpMethod.Get, $"users/{Uri.EscapeDataString(name)}", null, ct,
            HttpStatusCode.OK, HttpStatusCode.NotFound);
        return status == HttpStatusCode.OK ? body as JsonObject : null;
    }

    /// <summary>
    /// POST the server; true when it is ready at once, false when pending. A 201 is checked against the
    /// user model: JupyterHub 3.0 answers 201 to the spawn that replaces a server which died (the POST's
    /// poll finds it gone) while the new one is still starting, with no route in the proxy yet.
    /// </summary>
    public async Task<bool> StartServerAsync(string user, string serverName, JsonObject? userOptions, CancellationToken ct)
    {
        var (status, _, _) = await _http.SendAsync(HttpMethod.Post, ServerPath(user, serverName), userOptions ?? new JsonObject(), ct,
            HttpStatusCode.Created, HttpStatusCode.Accepted);
        if (status != HttpStatusCode.Created)
        {
            return false;
        }
        var server = (await GetUserAsync(user, ct))?["servers"]?[serverName];
        return server?["ready"]?.GetValue<bool>() == true && server["pending"] is null;
    }

    public async Task StopServerAsync(string user, string serverName, CancellationToken ct) =>
        await _http.SendAsync(HttpMethod.Delete, ServerPath(user, serverName), null, ct,
            HttpStatusCode.NoContent, HttpStatusCode.Accepted, HttpStatusCode.NotFound, HttpStatusCode.BadRequest);

    /// <summary>The spawn progress event stream. Ends after a ready or failed event, or when the hub closes it.</summary>
    public async IAsyncEnumerable<SpawnProgress> StreamProgressAsync(string user, string serverName, [EnumeratorCancellation] CancellationToken ct)
    {
        var started = System.Diagnostics.Stopwatch.StartNew();
        await using var stream = await _http.OpenStreamAsync(ServerPath(user, serverName) + "/progress", ct);
        using var reader = new StreamReader(stream);
        while (await reader.ReadLineAsync(ct) is { } line)
        {
            if (!line.StartsWith("data:", StringComparison.Ordinal))
            {
                continue; // blank keep-alives every 8 s, comments
            }
            var o = JsonNode.Parse(line[5..].Trim()) as JsonObject ?? new JsonObject();
            var e = new SpawnProgress(started.Elapsed,
                o["progress"] is JsonValue p && p.TryGetValue<int>(out var pi) ? pi : null,
                o["message"]?.ToString() ?? "",
                o["ready"] is JsonValue r && r.TryGetValue<bool>(out var rb) && rb,
                o["failed"] is JsonValue f && f.TryGetValue<bool>(out var fb) && fb,
                o["url"]?.ToString());
            yield return e;
            if (e.Ready || e.Failed)
            {
                yield break;
            }
        }
    }

    /// <summary>
    /// Waits for a pending spawn to become ready, driven by the progress stream; the user model is the
    /// fallback because proxies may buffer the stream and events can be missed.
    /// </summary>
    public async Task<IReadOnlyList<SpawnProgress>> WaitForServerReadyAsync(
        string user, string serverName, TimeSpan timeout, Func<string> logTail, CancellationToken ct)
    {
        var events = new List<SpawnProgress>();
        return await Deadline.RunAsync($"{user}'s server to become ready", timeout, async t =>
        {
            try
            {
                await foreach (var e in StreamProgressAsync(user, serverName, t))
                {
                    events.Add(e);
                    if (e.Failed)
                    {
                        throw new SpawnFailedException(user, e.Message, logTail());
                    }
                }
            }
            catch (JupyterApiException e) when (e.StatusCode == 400)
            {
                // Not pending any more: it finished (or failed) before the stream opened. The model says which.
            }
            var model = await GetUserAsync(user, t);
            var server = model?["servers"]?[serverName];
            if (server?["ready"]?.GetValue<bool>() == true)
            {
                return (IReadOnlyList<SpawnProgress>)events;
            }
            throw new SpawnFailedException(user,
                $"the hub reports no ready server (pending: {server?["pending"]?.ToString() ?? "none"}); last progress: {events.LastOrDefault()?.Message ?? "none"}",
                logTail());
        }, () => events.LastOrDefault()?.Message ?? "no progress event", ct, logTail);
    }

    /// <summary>POST /users/NAME/tokens: a token for the user (what a student's browser session amounts to).</summary>
    public async Task<string> CreateUserTokenAsync(string user, string note, TimeSpan expiresIn, IReadOnlyList<string>? scopes, CancellationToken ct)
    {
        var body = new JsonObject { ["note"] = note, ["expires_in"] = (int)expiresIn.TotalSeconds };
        if (scopes is not null)
        {
            body["scopes"] = new JsonArray([.. scopes.Select(s => (JsonNode)JsonValue.Create(s))]);
        }
        var (_, reply, _) = await _http.SendAsync(HttpMethod.Post, $"users/{Uri.EscapeDataString(user)}/tokens", body, ct,
            HttpStatusCode.Created, HttpStatusCode.OK);
        return reply?["token"]?.ToString() ?? throw new JupyterApiException("the hub returned no token", "check the hub log", 201, "");
    }

    private static string ServerPath(string user, string serverName) =>
        string.IsNullOrEmpty(serverName)
            ? $"users/{Uri.EscapeDataString(user)}/server"
            : $"users/{Uri.EscapeDataString(user)}/servers/{Uri.EscapeDataString(serverName)}";

    public void Dispose() => _http.Dispose();
}
