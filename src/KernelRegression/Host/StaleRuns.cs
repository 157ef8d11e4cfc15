namespace KernelRegression.Host;

/// <summary>Removes what runs whose owner process is gone left behind: labelled processes, containers, directories.</summary>
public static class StaleRuns
{
    public const string OwnerFile = "owner";

    /// <summary>True while the run's directory exists and its owner process is alive.</summary>
    public static bool IsLive(string runId)
    {
        var owner = Path.Combine(Run.Root, runId, OwnerFile);
        return File.Exists(owner) && OwnerStamp.IsAlive(File.ReadAllText(owner));
    }

    public static IReadOnlyList<string> Sweep(string root)
    {
        var swept = new List<string>();
        if (!Directory.Exists(root))
        {
            return swept;
        }
        foreach (var dir in Directory.EnumerateDirectories(root).Where(d => Path.GetFileName(d) != "locks"))
        {
            var owner = Path.Combine(dir, OwnerFile);
            var stamp = File.Exists(owner) ? File.ReadAllText(owner) : "";
            if (OwnerStamp.IsAlive(stamp))
            {
                continue;
            }
            var id = Path.GetFileName(dir);
            LabelledProcesses.Kill(id);
            Run.TryDelete(dir);
            swept.Add(id);
        }
        // Labelled processes whose run directory is already gone.
        foreach (var (_, id) in LabelledProcesses.All().Where(p => !Directory.Exists(Path.Combine(root, p.RunId))).DistinctBy(p => p.RunId).ToList())
        {
            LabelledProcesses.Kill(id);
            swept.Add(id);
        }
        return swept;
    }
}
