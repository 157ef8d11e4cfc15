namespace KernelRegression.Jupyter;

/// <summary>
/// jupyter_client picks a new kernel's ports by binding port 0 and letting go; until the kernel binds
/// them, another process on the same network may take one (jupyter/jupyter_client#154: a crowd of servers
/// on one host, as on the process tier). The kernel then exits at start with "ZMQError: Address already
/// in use", and the server's restarter relaunches it on new random ports: it does so until the kernel
/// has lived 10 s (random_ports_until_alive), for this race. A frontend follows the relaunch.
/// </summary>
public static class PortRace
{
    public const string Why = "another process took a port jupyter_client had picked for it (jupyter/jupyter_client#154); the server's restarter relaunched it on new ports";

    /// <summary>Whether a kernel's death at start is the port race, by the cause line of its log.</summary>
    public static bool Lost(string cause) => cause.Contains("ZMQError: Address already in use", StringComparison.Ordinal);
}
