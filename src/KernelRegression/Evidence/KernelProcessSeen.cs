using System.Globalization;

namespace KernelRegression.Evidence;

/// <summary>
/// One kernel process as the harness saw it from outside (where the tier lets it look at processes):
/// its pid, its parent and whether that parent is PID 1 of its own namespace, and, once it has
/// exited, how long it lived. A kernel that exits a moment after start while its parent is PID 1,
/// without a word of its own, is the incident's mechanism.
/// </summary>
public sealed record KernelProcessSeen(string KernelId, int Pid, int ParentPid, string ParentCommand, bool ParentIsPid1, TimeSpan SeenAfter, TimeSpan? Lived)
{
    public override string ToString() =>
        $"kernel process {Pid} (parent {ParentPid}{(ParentIsPid1 ? ", PID 1 in its namespace" : "")}: {ParentCommand}) " +
        (Lived is { } l ? $"exited after {l.TotalSeconds.ToString("0.0", CultureInfo.InvariantCulture)} s" : "running");
}
