using System.Net;
using System.Text.Json.Nodes;

namespace KernelRegression.Jupyter;

/// <summary>A kernel as the single-user server's REST API describes it.</summary>
public sealed record KernelModel(string Id, string Name, string ExecutionState, int Connections, string? Reason)
{
    internal static KernelModel From(JsonNode? n) => new(
        n?["id"]?.ToString() ?? throw new FormatException("kernel model without id"),
        n["name"]?.ToString() ?? "",
        n["execution_state"]?.ToString() ?? "unknown",
        n["connections"] is JsonValue c && c.TryGetValue<int>(out var ci) ? ci : 0,
        n["reason"]?.ToString());
}

/// <summary>The single-user server's REST API (/user/NAME/api): kernelspecs, kernels, sessions, contents.</summary>
public sealed class ServerClient : IDisposable
{
    private readonly JupyterHttp _http;

    /// <param name="serverUrl">The server's base, e.g. https://hub/user/alice/ (or /user/alice/NAME/ for a named server).</param>
    public ServerClient(Uri serverUrl, string token, string owner)
    {
        ServerUrl = serverUrl.AbsoluteUri.EndsWith('/') ? serverUrl : new Uri(serverUrl.AbsoluteUri + "/");
        _http = new JupyterHttp(new Uri(ServerUrl, "api/"), token, $"{owner}'s single-user server", Deadline.Of(30));
    }

    public Uri ServerUrl { get; }
    /// <summary>The token this client sends (never printed).</summary>
    public string Token => _http.Token;

    public async Task<JsonObject> GetStatusAsync(CancellationToken ct) =>
        (await _http.SendAsync(HttpMethod.Get, "status", null, ct, HttpStatusCode.OK)).Body as JsonObject ?? new JsonObject();

    /// <summary>GET /api/kernelspecs: default name and the names on offer.</summary>
    public async Task<(string Default, IReadOnlyList<string> Names)> GetKernelSpecsAsync(CancellationToken ct)
    {
        var (_, body, _) = await _http.SendAsync(HttpMethod.Get, "kernelspecs", null, ct, HttpStatusCode.OK);
        var names = (body?["kernelspecs"] as JsonObject)?.Select(p => p.Key).Order().ToList() ?? [];
        return (body?["default"]?.ToString() ?? "", names);
    }

    /// <summary>POST /api/kernels. An unknown name fails with the list of names the server has.</summary>
    public async Task<KernelModel> StartKernelAsync(string kernelName, CancellationToken ct)
    {
        try
        {
            var (_, body, _) = await _http.SendAsync(HttpMethod.Post, "kernels", new JsonObject { ["name"] = kernelName }, ct,
                HttpStatusCode.Created, HttpStatusCode.OK);
            return KernelModel.From(body);
        }
        catch (JupyterApiException e) when (e.StatusCode is 400 or 404 or 500 && e.Body.Contains("No such kernel", StringComparison.OrdinalIgnoreCase))
        {
            throw new UnknownKernelException(kernelName, (await GetKernelSpecsAsync(ct)).Names);
        }
    }

    public async Task<IReadOnlyList<KernelModel>> ListKernelsAsync(CancellationToken ct) =>
        ((await _http.SendAsync(HttpMethod.Get, "kernels", null, ct, HttpStatusCode.OK)).Body as JsonArray ?? [])
        .Select(KernelModel.From).ToList();

    /// <summary>GET /api/kernels/ID; null once the server has removed it (404), e.g. after it declared it dead.</summary>
    public async Task<KernelModel?> GetKernelAsync(string id, CancellationToken ct)
    {
        var (status, body, _) = await _http.SendAsync(HttpMethod.Get, $"kernels/{id}", null, ct, HttpStatusCode.OK, HttpStatusCode.NotFound);
        return status == HttpStatusCode.OK ? KernelModel.From(body) : null;
    }

    public async Task InterruptKernelAsync(string id, CancellationToken ct) =>
        await _http.SendAsync(HttpMethod.Post, $"kernels/{id}/interrupt", null, ct, HttpStatusCode.NoContent, HttpStatusCode.OK);

    public async Task<KernelModel> RestartKernelAsync(string id, CancellationToken ct) =>
        KernelModel.From((await _http.SendAsync(HttpMethod.Post, $"kernels/{id}/restart", null, ct, HttpStatusCode.OK)).Body);

    public async Task DeleteKernelAsync(string id, CancellationToken ct) =>
        await _http.SendAsync(HttpMethod.Delete, $"kernels/{id}", null, ct, HttpStatusCode.NoContent, HttpStatusCode.NotFound);

    /// <summary>POST /api/sessions: what the notebook UI does when a notebook is opened.</summary>
    public async Task<(string SessionId, KernelModel Kernel)> CreateSessionAsync(string path, string kernelName, CancellationToken ct)
    {
        var body = new JsonObject
        {
            ["path"] = path, ["name"] = Path.GetFileName(path), ["type"] = "notebook",
            ["kernel"] = new JsonObject { ["name"] = kernelName },
        };
        var (_, reply, _) = await _http.SendAsync(HttpMethod.Post, "sessions", body, ct, HttpStatusCode.Created, HttpStatusCode.OK);
        return (reply?["id"]?.ToString() ?? "", KernelModel.From(reply?["kernel"]));
    }

    public async Task<IReadOnlyList<(string SessionId, string Path, string KernelId)>> ListSessionsAsync(CancellationToken ct) =>
        ((await _http.SendAsync(HttpMethod.Get, "sessions", null, ct, HttpStatusCode.OK)).Body as JsonArray ?? [])
        .Select(s => (s?["id"]?.ToString() ?? "", (s?["path"] ?? s?["notebook"]?["path"])?.ToString() ?? "", s?["kernel"]?["id"]?.ToString() ?? ""))
        .ToList();

    public async Task DeleteSessionAsync(string sessionId, CancellationToken ct) =>
        await _http.SendAsync(HttpMethod.Delete, $"sessions/{sessionId}", null, ct, HttpStatusCode.NoContent, HttpStatusCode.NotFound);

    /// <summary>PUT /api/contents/PATH: saves a notebook into the user's home, as an upload does.</summary>
    public async Task PutNotebookAsync(string path, JsonNode notebook, CancellationToken ct) =>
        await _http.SendAsync(HttpMethod.Put, $"contents/{Uri.EscapeDataString(path)}",
            new JsonObject { ["type"] = "notebook", ["format"] = "json", ["content"] = notebook.DeepClone() }, ct,
            HttpStatusCode.Created, HttpStatusCode.OK);

    public async Task<bool> FileExistsAsync(string path, CancellationToken ct) =>
        (await _http.SendAsync(HttpMethod.Get, $"contents/{Uri.EscapeDataString(path)}?content=0", null, ct,
            HttpStatusCode.OK, HttpStatusCode.NotFound)).Status == HttpStatusCode.OK;

    public void Dispose() => _http.Dispose();
}
