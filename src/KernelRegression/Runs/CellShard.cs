using System.Globalization;
using KernelRegression.Matrix;

namespace KernelRegression.Runs;

/// <summary>
/// One of N parts of a run's cells, for a CI matrix of N jobs (`kr run --shard I/N`): the cells' ids are sorted
/// (ordinal) and dealt out in turn, the k-th to shard (k mod N) + 1. The same cells give the same shards on any
/// machine, in any run; the N shards together are every cell once, and their sizes differ by at most one.
/// </summary>
public sealed record CellShard(int Index, int Count)
{
    /// <summary>"I/N", 1 ≤ I ≤ N; anything else is refused naming the form.</summary>
    public static CellShard Parse(string text)
    {
        var parts = text.Split('/');
        if (parts.Length == 2
            && int.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out var index)
            && int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var count)
            && count >= 1 && index >= 1 && index <= count)
        {
            return new CellShard(index, count);
        }
        throw new HarnessException($"--shard '{text}' is not I/N with 1 <= I <= N",
            "give this job's part and the number of parts, e.g. --shard 2/3 for the second of three CI jobs");
    }

    /// <summary>This shard's cells, in their given order.</summary>
    public IReadOnlyList<MatrixCell> Of(IReadOnlyList<MatrixCell> cells)
    {
        var mine = cells.Select(c => c.Id).Order(StringComparer.Ordinal).Where((_, k) => k % Count == Index - 1).ToHashSet(StringComparer.Ordinal);
        return [.. cells.Where(c => mine.Contains(c.Id))];
    }

    public override string ToString() => $"{Index}/{Count}";
}
