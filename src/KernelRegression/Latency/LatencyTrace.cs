using KernelRegression.Tiers;
using KernelRegression.Students;

namespace KernelRegression.Latency;

/// <summary>
/// What the slow-part explanation reads besides the cell's evidence, taken when the cell is done: the
/// student's step timings including the server stop (recorded after the evidence was collected), and
/// the whole of the hub's log lines about this student, and the start of their server's log (the
/// evidence keeps only the last lines, where a spawn's are long gone) with its lines about kernel_info.
/// </summary>
public sealed record LatencyTrace(string? User, IReadOnlyList<StepTiming> Steps, IReadOnlyList<string> HubLines, IReadOnlyList<string> ServerLines)
{
    /// <summary>Lines of the server's log kept from its start: enough for its first words.</summary>
    public const int ServerHead = 50;

    public static LatencyTrace Empty { get; } = new(null, [], [], []);

    /// <summary>The server's lines about its own kernel_info requests, wherever they are: a kernel start's parts need them.</summary>
    private static bool AboutKernelInfo(string line) =>
        line.Contains("kernel info", StringComparison.Ordinal) || line.Contains("kernel_info reply", StringComparison.Ordinal);

    /// <param name="steps">The cell's steps once it is done: the student's, the server stop included, and the checks' own (the browser's).</param>
    public static LatencyTrace Of(IHubDeployment deployment, Student? student, IReadOnlyList<StepTiming> steps)
    {
        if (student is null)
        {
            return Empty;
        }
        var name = student.Name;
        return new LatencyTrace(name, steps,
            [.. deployment.HubLog.LinesSince(0).Where(l => l.Contains(name, StringComparison.Ordinal))],
            [.. deployment.ServerLog(name, student.ServerName).LinesSince(0).Where((l, i) => i < ServerHead || AboutKernelInfo(l))]);
    }
}
