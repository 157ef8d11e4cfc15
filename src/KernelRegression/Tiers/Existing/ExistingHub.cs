using KernelRegression.Jupyter;
using KernelRegression.Logs;

namespace KernelRegression.Tiers.Existing;

/// <summary>
/// Any running hub, given its URL and an API token: the post-deployment check the incident's
/// action items ask for. Nothing is started or torn down but the checks' own users and servers.
/// The harness cannot read this hub's logs, so causes come from the protocol and the REST models.
/// </summary>
public sealed class ExistingHub : IHubDeployment
{
    private readonly LogTail _noLog = new("existing hub (logs not reachable)");

    private ExistingHub(Uri url, string token, string runId)
    {
        HubUrl = url;
        Hub = new HubClient(url, Secrets.Register(token));
        RunId = runId;
    }

    public TierName Tier => TierName.Existing;
    public Uri HubUrl { get; }
    public HubClient Hub { get; }
    public string HubVersion { get; private set; } = "";
    public LogTail HubLog => _noLog;
    public string RunId { get; }
    public LogTail ServerLog(string user, string serverName = "") => _noLog;

    /// <summary>An existing hub is somebody's service: the harness only talks to it, through its API.</summary>
    public static IReadOnlyDictionary<Type, string> Missing { get; } = new Dictionary<Type, string>
    {
        [typeof(IKernelSignals)] = "an existing hub's processes are not reachable from the harness",
        [typeof(IServerKill)] = "an existing hub's servers are not reachable from the harness",
        [typeof(IProxyRestart)] = "an existing hub's proxy is not the harness' to restart",
        [typeof(IHubRestart)] = "an existing hub is not the harness' to restart",
        [typeof(IServerPause)] = "an existing hub's servers are not reachable from the harness",
        [typeof(INetworkPartition)] = "an existing hub's network is not the harness' to cut",
        [typeof(IPodDeletion)] = "an existing hub's pods are not the harness' to delete",
        [typeof(IHomeFiles)] = "an existing hub's homes are not reachable from the harness",
        [typeof(IKernelProcessWatch)] = "an existing hub's kernel processes are not visible from here",
        [typeof(IEvidenceSource)] = "an existing hub's servers can only be seen through the API",
        [typeof(IInitControl)] = "an existing hub launches its servers its own way",
        [typeof(IStudentLogin)] = "an existing hub's passwords are not the harness's (kr run --tier existing --browser --user NAME --password-file FILE gives one)",
    };

    public IReadOnlyDictionary<Type, string> Lacks => Missing;

    /// <summary>Connects: checks the URL is a hub and the token has the scopes the checks need, in seconds.</summary>
    public static async Task<ExistingHub> ConnectAsync(Uri url, string token, string runId, CancellationToken ct)
    {
        if (string.IsNullOrWhiteSpace(token))
        {
            throw new HubAuthException($"no API token for the hub at {url}",
                "set KR_HUB_TOKEN to a token of a service with admin:users, admin:servers, access:servers and tokens", 401);
        }
        var hub = new ExistingHub(url, token, runId);
        try
        {
            hub.HubVersion = await VersionAsync(hub.Hub, url, ct);
            await hub.Hub.EnsureScopesAsync(["admin:users", "admin:servers", "access:servers"], ct);
            return hub;
        }
        catch
        {
            await hub.DisposeAsync();
            throw;
        }
    }

    /// <summary>The hub's version; a URL whose hub/api/ is not a JupyterHub's API is the operator's input, refused as such.</summary>
    private static async Task<string> VersionAsync(HubClient hub, Uri url, CancellationToken ct)
    {
        try
        {
            return await hub.GetVersionAsync(ct);
        }
        catch (JupyterApiException e) when (e.StatusCode != 401 && e.StatusCode != 403)
        {
            throw new HarnessException($"{url} is not a JupyterHub: its hub/api/ did not answer with a hub's version ({e.What})",
                "give the hub's base URL, the one whose hub/api/ answers {\"version\": ...} (e.g. https://hub.example.org/, or with its base_url)", e);
        }
    }

    public ValueTask DisposeAsync()
    {
        Hub.Dispose();
        _noLog.Dispose();
        return ValueTask.CompletedTask;
    }
}
