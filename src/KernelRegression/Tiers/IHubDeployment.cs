using KernelRegression.Evidence;
using KernelRegression.Logs;
using KernelRegression.Jupyter;

namespace KernelRegression.Tiers;

/// <summary>
/// What a provisioner hands to checks: a hub to talk to, its logs, and what it can break.
/// A check never knows which tier it runs on.
/// </summary>
public interface IHubDeployment : IAsyncDisposable
{
    /// <summary>process, docker, kind, k3s, existing.</summary>
    string Tier { get; }
    /// <summary>The public URL users reach (the proxy).</summary>
    Uri HubUrl { get; }
    HubClient Hub { get; }
    string HubVersion { get; }
    /// <summary>The hub's log (and, on the process tier, its servers' and kernels' stderr too).</summary>
    LogTail HubLog { get; }
    /// <summary>The run this deployment belongs to: every resource it made carries this id.</summary>
    string RunId { get; }
    /// <summary>Where a user's server and kernels write their output, for the cause of a death.</summary>
    LogTail KernelLog(string user, string serverName = "");
    /// <summary>
    /// Evidence about a user's server as the tier sees it: "facts" (key=value lines: process tree,
    /// versions, user, container state), "process-tree", "environment". Empty where the tier cannot look.
    /// </summary>
    Task<IReadOnlyDictionary<string, string>> CollectEvidenceAsync(string user, string serverName, CancellationToken ct) =>
        Task.FromResult<IReadOnlyDictionary<string, string>>(new Dictionary<string, string>());

    /// <summary>
    /// Where the tier can see a kernel's process, tell the connection the moment it exits (faster than
    /// the server's restarter). Default: nothing; the server's status and log are the signals.
    /// </summary>
    void WatchKernel(string kernelId, KernelConnection connection, CancellationToken ct)
    {
    }

    /// <summary>Faults this tier can inject, by name; checks skip the others with the reason.</summary>
    IReadOnlyDictionary<string, string> Unsupported { get; }
}
