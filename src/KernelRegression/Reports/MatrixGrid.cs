using KernelRegression.Diagnosis;
using KernelRegression.Judging;

namespace KernelRegression.Reports;

/// <summary>A grid column: one hub × launch profile (× scenario, × tier when a run mixes tiers).</summary>
public sealed record GridColumn(string Key, string Hub, string Rest);

/// <summary>
/// The run's cells laid out as the matrix: rows are single-user images, columns are hub × profile
/// (and any other axis the ids carry). Rows and columns keep the order cells first appear in,
/// which is the matrix file's order. Every cell has exactly one slot, because its id is its axes.
/// </summary>
public sealed class MatrixGrid
{
    private readonly Dictionary<(string Row, string Column), CellReport> _slots;

    private MatrixGrid(IReadOnlyList<string> rows, IReadOnlyList<GridColumn> columns, Dictionary<(string, string), CellReport> slots)
    {
        Rows = rows;
        Columns = columns;
        _slots = slots;
    }

    public IReadOnlyList<string> Rows { get; }
    public IReadOnlyList<GridColumn> Columns { get; }

    /// <summary>The hubs over the columns, with how many columns each spans (for a two-level header).</summary>
    public IEnumerable<(string Hub, int Span)> HubSpans =>
        Columns.Select(c => c.Hub).Distinct().Select(h => (h, Columns.Count(c => c.Hub == h)));

    public CellReport? At(string row, GridColumn column) => _slots.GetValueOrDefault((row, column.Key));

    public static MatrixGrid Of(IReadOnlyList<CellReport> cells)
    {
        var placed = cells.Select(c => (Cell: c, Axes: CellAxes.Of(c.Result.Cell))).ToList();
        var mixedTiers = placed.Select(p => p.Axes.Tier).Distinct().Count() > 1;
        var slots = new Dictionary<(string, string), CellReport>();
        var columns = new List<GridColumn>();
        foreach (var (cell, axes) in placed)
        {
            var column = Column(axes, mixedTiers);
            if (columns.All(c => c.Key != column.Key))
            {
                columns.Add(column);
            }
            slots[(Row(axes), column.Key)] = cell;
        }
        // Group columns under their hub (first appearance order), keeping order within a hub.
        var hubs = columns.Select(c => c.Hub).Distinct().ToList();
        columns = [.. columns.OrderBy(c => hubs.IndexOf(c.Hub))];
        return new MatrixGrid(placed.Select(p => Row(p.Axes)).Distinct().ToList(), columns, slots);
    }

    private static string Row(CellAxes axes) => axes.Image ?? "";

    private static GridColumn Column(CellAxes axes, bool mixedTiers)
    {
        var hub = axes.Values.GetValueOrDefault("hub", "");
        var rest = axes.Values
            .Where(a => a.Key is not ("tier" or "img" or "hub") && !(a.Key == "scenario" && a.Value == "healthy"))
            .Select(a => a.Key == "profile" ? a.Value : $"{a.Key} {a.Value}");
        var tier = mixedTiers ? axes.Tier + " " : "";
        var hubLabel = hub.Length > 0 ? $"{tier}hub {hub}" : tier.Trim();
        var restLabel = string.Join(" · ", rest);
        var key = string.Join('/', axes.Values.Where(a => a.Key != "img").OrderBy(a => a.Key, StringComparer.Ordinal).Select(a => $"{a.Key}={a.Value}"));
        return new GridColumn(key, hubLabel, restLabel.Length > 0 ? restLabel : "default");
    }
}
