using System.Net;
using System.Net.Sockets;

namespace KernelRegression.Host;

/// <summary>Asks the kernel for a free loopback port. Each port is used right away by the process it is for.</summary>
public static class FreePort
{
    public static int Next()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
