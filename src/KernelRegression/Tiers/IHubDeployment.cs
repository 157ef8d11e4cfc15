using KernelRegression.Jupyter;
using KernelRegression.Logs;

namespace KernelRegression.Tiers;

/// <summary>
/// A running hub a tier stood up (or was given): its URL and API, its logs, and what it can do beyond
/// that, as typed capabilities (<see cref="Capabilities"/>). A check never knows which tier it runs on.
/// </summary>
public interface IHubDeployment : IAsyncDisposable
{
    /// <summary>process, docker, kind, existing.</summary>
    TierName Tier { get; }
    /// <summary>The public URL users reach (the proxy).</summary>
    Uri HubUrl { get; }
    HubClient Hub { get; }
    string HubVersion { get; }
    /// <summary>The hub's log (empty where the harness cannot read it).</summary>
    LogTail HubLog { get; }
    /// <summary>The run this deployment belongs to: every resource it made carries this id.</summary>
    string RunId { get; }
    /// <summary>Where a user's server and its kernels write their output (empty where the harness cannot read it).</summary>
    LogTail ServerLog(string user, string serverName = "");
    /// <summary>Why this deployment does not offer each capability it lacks (shown in reports; never an exception).</summary>
    IReadOnlyDictionary<Type, string> Lacks { get; }
}
