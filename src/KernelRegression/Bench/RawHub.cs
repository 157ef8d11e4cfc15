using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace KernelRegression.Bench;

/// <summary>
/// The raw floor's REST side: bare System.Net.Http calls to the hub and a single-user server, the
/// fewest requests each step needs, no harness classes. What the harness is measured against.
/// </summary>
public sealed class RawHub(Uri hubUrl, string token) : IDisposable
{
    private readonly HttpClient _http = new(new SocketsHttpHandler { AllowAutoRedirect = false, UseCookies = false }) { BaseAddress = hubUrl };

    public Uri HubUrl { get; } = hubUrl;

    public async Task CreateUserAsync(string user, CancellationToken ct) =>
        await SendAsync(HttpMethod.Post, $"hub/api/users/{user}", token, null, ct);

    /// <summary>POST the server; if pending (202), read the progress stream until its ready event.</summary>
    public async Task SpawnAsync(string user, JsonObject? userOptions, CancellationToken ct)
    {
        using var r = await SendAsync(HttpMethod.Post, $"hub/api/users/{user}/server", token, userOptions ?? new JsonObject(), ct);
        if ((int)r.StatusCode == 201)
        {
            return;
        }
        using var request = new HttpRequestMessage(HttpMethod.Get, $"hub/api/users/{user}/server/progress");
        request.Headers.Authorization = new AuthenticationHeaderValue("token", token);
        using var stream = await _http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, ct);
        using var reader = new StreamReader(await stream.Content.ReadAsStreamAsync(ct));
        while (await reader.ReadLineAsync(ct) is { } line)
        {
            if (line.StartsWith("data:", StringComparison.Ordinal))
            {
                using var e = JsonDocument.Parse(line[5..]);
                if (e.RootElement.TryGetProperty("ready", out var ready) && ready.GetBoolean())
                {
                    return;
                }
                if (e.RootElement.TryGetProperty("failed", out var failed) && failed.GetBoolean())
                {
                    throw new HarnessException($"raw spawn of {user} failed: {line}", "see the hub log");
                }
            }
        }
    }

    /// <summary>DELETE the server, then poll the user model (every 50 ms) until no server is left.</summary>
    public async Task StopAsync(string user, CancellationToken ct)
    {
        using (await SendAsync(HttpMethod.Delete, $"hub/api/users/{user}/server", token, null, ct))
        {
        }
        while (true)
        {
            using var r = await SendAsync(HttpMethod.Get, $"hub/api/users/{user}", token, null, ct);
            using var doc = JsonDocument.Parse(await r.Content.ReadAsStringAsync(ct));
            if (!doc.RootElement.TryGetProperty("servers", out var servers) || !servers.TryGetProperty("", out _))
            {
                return;
            }
            await Task.Delay(50, ct);
        }
    }

    public async Task DeleteUserAsync(string user, CancellationToken ct)
    {
        using (await SendAsync(HttpMethod.Delete, $"hub/api/users/{user}", token, null, ct))
        {
        }
    }

    /// <summary>POST /user/NAME/api/kernels with the user's token; the kernel id.</summary>
    public async Task<string> StartKernelAsync(string user, string userToken, CancellationToken ct)
    {
        using var r = await SendAsync(HttpMethod.Post, $"user/{user}/api/kernels", userToken, new JsonObject { ["name"] = "python3" }, ct);
        using var doc = JsonDocument.Parse(await r.Content.ReadAsStringAsync(ct));
        return doc.RootElement.GetProperty("id").GetString()!;
    }

    private async Task<HttpResponseMessage> SendAsync(HttpMethod method, string path, string auth, JsonObject? body, CancellationToken ct)
    {
        using var request = new HttpRequestMessage(method, path);
        request.Headers.Authorization = new AuthenticationHeaderValue("token", auth);
        if (body is not null)
        {
            request.Content = new StringContent(body.ToJsonString(), Encoding.UTF8, "application/json");
        }
        var response = await _http.SendAsync(request, ct);
        if ((int)response.StatusCode >= 400 && !(method == HttpMethod.Post && (int)response.StatusCode == 409))
        {
            var text = await response.Content.ReadAsStringAsync(ct);
            response.Dispose();
            throw new HarnessException($"raw {method} /{path} answered {(int)response.StatusCode}: {text}", "see the hub log");
        }
        return response;
    }

    public void Dispose() => _http.Dispose();
}
