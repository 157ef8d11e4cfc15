using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using k8s;

namespace KernelRegression.Kubernetes.Tests;

/// <summary>
/// An API server for the real KubernetesClient, answering from API objects in the shape the server
/// sends them (ApiObjects/*.json: KubeSpawner pods of 6.2.0 and 7.0.0 in several states, their events,
/// the hub's user model; written from the Kubernetes API reference and KubeSpawner's make_pod and
/// labels at both tags, not captured from a live cluster, which cannot run here). Pods change state only when someone watches: each watch answers with the next state, as a kubelet's status update would. Log requests answer with the lines given for the
/// container run (containerID) the current state names; "is waiting to start" the way the API server
/// answers it. Label selectors match as the API server's equality selectors do.
/// </summary>
internal sealed class FakeKubeApi : DelegatingHandler
{
    private readonly List<JsonObject> _states;
    private readonly Dictionary<string, string[]> _logs = [];
    private int _at;

    public FakeKubeApi(params string[] states) => _states = states.Select(ApiObjects.Object).ToList();

    public List<string> Requests { get; } = [];
    public JsonObject? Events { get; init; }
    /// <summary>States (by index) whose log request is answered 400 "waiting to start" although the status says running (the race the follower must survive).</summary>
    public HashSet<int> LogSaysWaiting { get; } = [];
    public int WatchesAnswered { get; private set; }
    public int StateIndex => _at;

    public FakeKubeApi WithLog(string containerId, params string[] timestampedLines)
    {
        _logs[containerId] = timestampedLines;
        return this;
    }

    /// <summary>A real client whose every request this fake answers.</summary>
    public IKubernetes Client() => new k8s.Kubernetes(new KubernetesClientConfiguration { Host = "http://fake-apiserver.invalid" }, this);

    /// <summary>A real client whose requests this fake answers and whose WebSockets (exec) go to <paramref name="host"/> (<see cref="FakeExecServer"/>).</summary>
    public IKubernetes Client(Uri host) => new k8s.Kubernetes(new KubernetesClientConfiguration { Host = host.ToString() }, this);

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var response = await AnswerAsync(request, cancellationToken);
        response.RequestMessage = request; // the client reads it back, as from a real HttpClientHandler
        return response;
    }

    private async Task<HttpResponseMessage> AnswerAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var path = request.RequestUri!.AbsolutePath;
        var query = System.Web.HttpUtility.ParseQueryString(request.RequestUri.Query);
        lock (Requests)
        {
            Requests.Add(request.Method + " " + Uri.UnescapeDataString(request.RequestUri.PathAndQuery));
        }
        await Task.Yield();
        var current = _states[_at];
        var name = current["metadata"]!["name"]!.GetValue<string>();
        if (path == "/api/v1/namespaces/kr/pods" && query["watch"] == "true")
        {
            if (_at + 1 >= _states.Count)
            {
                // Nothing changes any more: the watch ends when its timeoutSeconds are up, empty.
                await Task.Delay(TimeSpan.FromSeconds(int.Parse(query["timeoutSeconds"] ?? "1", System.Globalization.CultureInfo.InvariantCulture)), cancellationToken);
                return Json(HttpStatusCode.OK, "");
            }
            _at++;
            WatchesAnswered++;
            return Json(HttpStatusCode.OK, new JsonObject { ["type"] = "MODIFIED", ["object"] = _states[_at].DeepClone() }.ToJsonString() + "\n");
        }
        if (path == "/api/v1/namespaces/kr/pods")
        {
            var items = Matches(current, query["labelSelector"]) ? new JsonArray(current.DeepClone()) : [];
            return Json(HttpStatusCode.OK, new JsonObject { ["kind"] = "PodList", ["apiVersion"] = "v1", ["metadata"] = new JsonObject { ["resourceVersion"] = "999" }, ["items"] = items }.ToJsonString());
        }
        if (path == $"/api/v1/namespaces/kr/pods/{name}")
        {
            return Json(HttpStatusCode.OK, current.ToJsonString());
        }
        if (path.StartsWith("/api/v1/namespaces/kr/pods/", StringComparison.Ordinal) && !path.EndsWith("/log", StringComparison.Ordinal))
        {
            return NotFound($"pods \"{path.Split('/')[^1]}\" not found");
        }
        if (path == $"/api/v1/namespaces/kr/pods/{name}/log")
        {
            var status = current["status"]!["containerStatuses"]![0]!;
            var previous = query["previous"] == "true";
            var run = previous ? status["lastState"]?["terminated"]?["containerID"] : status["state"]?["waiting"] is null ? status["containerID"] : null;
            if (run is null || LogSaysWaiting.Contains(_at) && !previous)
            {
                var reason = status["state"]?["waiting"]?["reason"]?.GetValue<string>() ?? "ContainerCreating";
                return Status(HttpStatusCode.BadRequest, "BadRequest", $"container \"notebook\" in pod \"{name}\" is waiting to start: {reason}");
            }
            var lines = _logs.GetValueOrDefault(run.GetValue<string>(), []);
            return new HttpResponseMessage(HttpStatusCode.OK) { Content = new StringContent(string.Concat(lines.Select(l => l + "\n")), Encoding.UTF8, "text/plain") };
        }
        if (path == "/api/v1/namespaces/kr/events")
        {
            return Json(HttpStatusCode.OK, (Events ?? new JsonObject { ["kind"] = "EventList", ["apiVersion"] = "v1", ["items"] = new JsonArray() }).ToJsonString());
        }
        return NotFound($"the fake API server has no answer for {path}");
    }

    /// <summary>Equality selectors (k=v, comma-separated): each key must be present with that value.</summary>
    private static bool Matches(JsonObject pod, string? selector)
    {
        if (string.IsNullOrEmpty(selector))
        {
            return true;
        }
        var labels = pod["metadata"]!["labels"]!.AsObject();
        return selector.Split(',').All(r =>
        {
            var eq = r.IndexOf('=', StringComparison.Ordinal);
            return labels.TryGetPropertyValue(r[..eq], out var v) && v!.GetValue<string>() == r[(eq + 1)..];
        });
    }

    private static HttpResponseMessage Json(HttpStatusCode code, string body) =>
        new(code) { Content = new StringContent(body, Encoding.UTF8, "application/json") };

    private static HttpResponseMessage NotFound(string message) => Status(HttpStatusCode.NotFound, "NotFound", message);

    private static HttpResponseMessage Status(HttpStatusCode code, string reason, string message) =>
        Json(code, JsonSerializer.Serialize(new { kind = "Status", apiVersion = "v1", metadata = new { }, status = "Failure", message, reason, code = (int)code }));
}

/// <summary>The API objects next to the tests (ApiObjects/).</summary>
internal static class ApiObjects
{
    public static string Path(string file) => System.IO.Path.Combine(AppContext.BaseDirectory, "ApiObjects", file);

    public static JsonObject Object(string file) => JsonNode.Parse(File.ReadAllText(Path(file)))!.AsObject();

    public static T Read<T>(string file) => KubernetesJson.Deserialize<T>(File.ReadAllText(Path(file)));
}
