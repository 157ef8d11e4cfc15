using KernelRegression.Host;

namespace KernelRegression.Tiers;

/// <summary>SIGKILL, SIGSTOP or SIGCONT a kernel's processes, found by its kernel id.</summary>
public interface IKernelSignals
{
    Task SignalKernelAsync(string user, string serverName, string kernelId, int signal, CancellationToken ct);
}

/// <summary>Kill a user's single-user server (SIGKILL), as an OOM kill or a lost node would.</summary>
public interface IServerKill
{
    Task KillServerAsync(string user, string serverName, CancellationToken ct);
}

/// <summary>Restart the proxy users reach the hub through.</summary>
public interface IProxyRestart
{
    Task RestartProxyAsync(CancellationToken ct);
}

/// <summary>Restart the hub process (servers keep running).</summary>
public interface IHubRestart
{
    Task RestartHubAsync(CancellationToken ct);
}

/// <summary>Freeze (and thaw) a user's whole server: docker pause.</summary>
public interface IServerPause
{
    Task PauseServerAsync(string user, string serverName, bool pause, CancellationToken ct);
}

/// <summary>Cut (and heal) the network between the hub/proxy and a user's server.</summary>
public interface INetworkPartition
{
    Task PartitionServerAsync(string user, string serverName, bool cut, CancellationToken ct);
}

/// <summary>Delete a user's pod (Kubernetes).</summary>
public interface IPodDeletion
{
    Task DeletePodAsync(string user, string serverName, CancellationToken ct);
}

/// <summary>Write a file into a user's home, as a student's earlier session would have left it.</summary>
public interface IHomeFiles
{
    Task WriteUserFileAsync(string user, string relativePath, string content, CancellationToken ct);
}

/// <summary>Watch a kernel's processes from outside, so a death is known when it happens.</summary>
public interface IKernelProcessWatch
{
    KernelWatch WatchKernel(string user, string serverName, string kernelId, CancellationToken ct);
}

/// <summary>A student can log in through the hub's login page: the password, and the launch a start-button spawn gets.</summary>
public interface IStudentLogin
{
    /// <summary>The password the hub's authenticator accepts (random per run, registered as a secret).</summary>
    string StudentPassword { get; }

    /// <summary>
    /// Tells the hub which launch the user's next spawn gets: a spawn from the start button carries no
    /// user_options, as a Zero to JupyterHub deployment gives its users their image without asking.
    /// </summary>
    Task AssignLaunchAsync(string user, System.Text.Json.Nodes.JsonObject? userOptions, CancellationToken ct);
}

/// <summary>
/// The incident's control: the same image and user options launched with an init as PID 1 (Docker's
/// --init; on Kubernetes the pod's pause container, with a shared process namespace), so the server is
/// not PID 1. The parent poller (ipython/ipykernel#233) is proven by the difference: its kernel lives
/// here and dies under the PID-1 launch.
/// </summary>
public interface IInitControl
{
    /// <summary>What is PID 1 in the control, for its name in the evidence: "docker --init".</summary>
    string InitAsPid1 { get; }

    /// <summary>The cell launched again with an init as PID 1; null when its launch has one already.</summary>
    CellDeployment? WithInitAsPid1(CellDeployment cell);
}

/// <summary>Read a user's server from the tier's side: process tree, container, versions, environment, user.</summary>
public interface IEvidenceSource
{
    Task<TierEvidence> CollectAsync(string user, string serverName, CancellationToken ct);
}

/// <summary>One capability a tier may offer: its interface, its name in reports and fault tests, what it is.</summary>
public sealed record Capability(Type Interface, string Name, string Description);

/// <summary>A row of a tier's capability table: offered, or why not.</summary>
public sealed record CapabilityRow(Capability Capability, bool Offered, string? WhyNot);

/// <summary>The capabilities a tier may offer, discoverable without exceptions, and each tier's table for reports.</summary>
public static class Capabilities
{
    public static IReadOnlyList<Capability> Known { get; } =
    [
        new(typeof(IKernelSignals), "signal-kernel", "kill or freeze a kernel's process"),
        new(typeof(IServerKill), "kill-server", "kill a user's server"),
        new(typeof(IProxyRestart), "restart-proxy", "restart the proxy"),
        new(typeof(IHubRestart), "restart-hub", "restart the hub"),
        new(typeof(IServerPause), "pause-server", "freeze a user's server (docker pause)"),
        new(typeof(INetworkPartition), "network-partition", "cut the network between hub and server"),
        new(typeof(IPodDeletion), "delete-pod", "delete a user's pod"),
        new(typeof(IHomeFiles), "write-home", "write files into a user's home"),
        new(typeof(IKernelProcessWatch), "watch-kernel-process", "see a kernel's process exit the moment it does"),
        new(typeof(IEvidenceSource), "server-evidence", "process tree, container state, versions, environment"),
        new(typeof(IInitControl), "init-control", "launch the same image and user options with an init as PID 1 (the incident's control)"),
        new(typeof(IStudentLogin), "student-login", "a student logs in through the hub's page (the browser check)"),
    ];

    /// <summary>The capability, or null where the deployment does not offer it (<see cref="WhyNot{T}"/> says why).</summary>
    public static T? Get<T>(this IHubDeployment deployment) where T : class => deployment as T;

    public static string WhyNot<T>(this IHubDeployment deployment) where T : class =>
        deployment is T ? "" : deployment.Lacks.GetValueOrDefault(typeof(T)) ?? $"the {deployment.Tier} tier does not offer {Name(typeof(T))}";

    /// <summary>A deployment type's table, known before any hub starts (fault tests choose their rows from it).</summary>
    public static IReadOnlyList<CapabilityRow> Table(Type deploymentType, IReadOnlyDictionary<Type, string> lacks) =>
        [.. Known.Select(c => c.Interface.IsAssignableFrom(deploymentType)
            ? new CapabilityRow(c, true, null)
            : new CapabilityRow(c, false, lacks.GetValueOrDefault(c.Interface) ?? "not offered"))];

    public static string Name(Type capability) => Known.FirstOrDefault(c => c.Interface == capability)?.Name ?? capability.Name;
}
