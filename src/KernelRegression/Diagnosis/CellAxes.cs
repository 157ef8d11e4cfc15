using KernelRegression.Matrix;

namespace KernelRegression.Diagnosis;

/// <summary>The matrix axes of a cell (tier, hub, img, profile, scenario), for "closest cell" and grids.</summary>
public sealed record CellAxes(string CellId, IReadOnlyDictionary<string, string> Values)
{
    public string Tier => Values.GetValueOrDefault("tier", "");
    public string? Image => Values.GetValueOrDefault("img");

    public static CellAxes Of(MatrixCell cell) => new(cell.Id, cell.Axes);

    /// <summary>How many axes differ: the first measure of "closest" cell.</summary>
    public int Distance(CellAxes other) =>
        Values.Keys.Union(other.Values.Keys).Count(k => Values.GetValueOrDefault(k) != other.Values.GetValueOrDefault(k));
}
