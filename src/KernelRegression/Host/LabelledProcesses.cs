using KernelRegression.Host;

namespace KernelRegression.Host;

/// <summary>
/// Finds processes by the KR_RUN_ID in their environment. Single-user servers start in sessions of
/// their own (LocalProcessSpawner), so killing the hub's group does not reach them; the label does,
/// and it survives a harness killed with SIGKILL.
/// </summary>
public static class LabelledProcesses
{
    public static IReadOnlyList<(int Pid, string RunId)> All() =>
        LocalProcess.All().Select(p => (p.Pid, RunId: p.Variable(Run.LabelVariable))).Where(p => p.RunId is not null).Select(p => (p.Pid, p.RunId!)).ToList();

    public static int Count(string runId) => All().Count(p => p.RunId == runId);

    /// <summary>SIGKILLs every process labelled with the run id. Returns how many.</summary>
    public static int Kill(string runId)
    {
        var victims = All().Where(p => p.RunId == runId).ToList();
        foreach (var (pid, _) in victims)
        {
            ProcessGroup.Kill(pid, Signals.Kill);
        }
        return victims.Count;
    }
}
