namespace KernelRegression.Faults;

/// <summary>
/// The faults a tier can inject into a running deployment. A tier implements what it can; the rest
/// throw <see cref="FaultNotSupportedException"/> with the reason (the default).
/// </summary>
public interface IFaultInjector
{
    string Tier { get; }

    /// <summary>Signals a kernel process (SIGKILL kills, SIGSTOP freezes, SIGCONT thaws), found by its kernel id.</summary>
    Task SignalKernelAsync(string user, string serverName, string kernelId, int signal, CancellationToken ct) =>
        throw new FaultNotSupportedException("signal a kernel", Tier, "its kernel processes are not reachable");

    /// <summary>Kills the user's single-user server process (SIGKILL), as an OOM kill or a node failure would.</summary>
    Task KillServerAsync(string user, string serverName, CancellationToken ct) =>
        throw new FaultNotSupportedException("kill a server", Tier, "its servers are not reachable");

    Task RestartProxyAsync(CancellationToken ct) =>
        throw new FaultNotSupportedException("restart the proxy", Tier, "the proxy is not the harness'");

    Task RestartHubAsync(CancellationToken ct) =>
        throw new FaultNotSupportedException("restart the hub", Tier, "the hub is not the harness'");

    /// <summary>Freezes (true) or thaws (false) the user's whole server: docker pause.</summary>
    Task PauseServerAsync(string user, string serverName, bool pause, CancellationToken ct) =>
        throw new FaultNotSupportedException("pause a server", Tier, "it has no containers");

    /// <summary>Cuts (true) or heals (false) the network between the hub/proxy and the user's server.</summary>
    Task PartitionServerAsync(string user, string serverName, bool cut, CancellationToken ct) =>
        throw new FaultNotSupportedException("cut the network to a server", Tier, "everything runs on one loopback");

    /// <summary>Writes a file into the user's home, as a student's earlier session would have left it.</summary>
    Task WriteUserFileAsync(string user, string relativePath, string content, CancellationToken ct) =>
        throw new FaultNotSupportedException("write into a user's home", Tier, "its homes are not reachable");
}
