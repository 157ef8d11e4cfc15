using System.Globalization;
using KernelRegression.Host;

namespace KernelRegression.Host;

/// <summary>
/// One kernel process as the harness saw it from outside (where the tier lets it look at processes):
/// its pid, its parent and whether that parent is PID 1 of its own namespace, and, once it has
/// exited, how long it lived and how it ended (where the watch could read its zombie before the server
/// reaped it). The incident's mechanism is a kernel that exits a moment after start, without a word of
/// its own, while its parent, the server, is PID 1.
/// </summary>
public sealed record KernelProcessSeen(string KernelId, int Pid, int ParentPid, string ParentCommand, bool ParentIsPid1, TimeSpan SeenAfter, TimeSpan? Lived)
{
    /// <summary>Its exit code or killing signal; null while it runs, or when the watch could not read it.</summary>
    public ProcessEnd? End { get; init; }

    /// <summary>"exited after 0.6 s, exit 1" as a report says it.</summary>
    public string Ending => Lived is { } l
        ? $"exited after {l.TotalSeconds.ToString("0.0", CultureInfo.InvariantCulture)} s, {End?.ToString() ?? "its exit status not seen"}"
        : "running";

    public override string ToString() =>
        $"kernel process {Pid} (parent {ParentPid}{(ParentIsPid1 ? ", PID 1 in its namespace" : "")}: {ParentCommand}) {Ending}";
}
