using DotNet.Testcontainers;
using Microsoft.Extensions.Logging;

namespace KernelRegression.Docker;

/// <summary>
/// Where Testcontainers' own lines ("Docker container … created") go: every builder of the tier is given this
/// logger (Testcontainers 4 has no global one). The console by default; kr sends them to its run's kr.log, where
/// they do not interleave with the run's own lines.
/// </summary>
public static class TestcontainersLog
{
    public static ILogger Logger { get; set; } = ConsoleLogger.Instance;
}
