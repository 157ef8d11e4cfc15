namespace KernelRegression.Evidence.Diagnosis;

/// <summary>
/// The matrix axes a cell id names: "docker/hub-trixie/img-bookworm/profile-default" is tier
/// docker, hub trixie, img bookworm, profile default. Reports and diagnosis work from the id alone,
/// so any id of the form tier/AXIS-VALUE/… works, including the process tier's
/// "process/hub-3.0.0/kernel-python3".
/// </summary>
public sealed record CellAxes(string CellId, IReadOnlyDictionary<string, string> Values)
{
    public string Tier => Values.GetValueOrDefault("tier", "");
    public string? Image => Values.GetValueOrDefault("img");
    public string? Scenario => Values.GetValueOrDefault("scenario");

    public static CellAxes Parse(string cellId)
    {
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        var parts = cellId.Split('/', StringSplitOptions.RemoveEmptyEntries);
        for (var i = 0; i < parts.Length; i++)
        {
            var dash = parts[i].IndexOf('-', StringComparison.Ordinal);
            var (axis, value) = i == 0 ? ("tier", parts[i])
                : dash > 0 ? (parts[i][..dash], parts[i][(dash + 1)..])
                : ($"part{i}", parts[i]);
            values[axis] = value;
        }
        // A healthy cell's id leaves the scenario out; saying it makes "differs only in scenario" countable.
        values.TryAdd("scenario", "healthy");
        return new CellAxes(cellId, values);
    }

    /// <summary>How many axes differ: the first measure of "closest" cell.</summary>
    public int Distance(CellAxes other) =>
        Values.Keys.Union(other.Values.Keys).Count(k => Values.GetValueOrDefault(k) != other.Values.GetValueOrDefault(k));
}
