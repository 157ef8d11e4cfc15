using KernelRegression.Matrix;

namespace KernelRegression.Checks;

/// <summary>
/// Every check the engine has, found by type: a class implementing <see cref="ICheck"/> with a public
/// parameterless constructor is a check, by its name. The order a cell runs them in is the order the
/// matrix (or the command line) names them.
/// </summary>
public static class CheckCatalog
{
    private static readonly Lazy<IReadOnlyDictionary<string, ICheck>> Checks = new(() =>
        typeof(ICheck).Assembly.GetTypes()
            .Where(t => t is { IsClass: true, IsAbstract: false } && typeof(ICheck).IsAssignableFrom(t) && t.GetConstructor(Type.EmptyTypes) is not null)
            .Select(t => (ICheck)Activator.CreateInstance(t)!)
            .ToDictionary(c => c.Name, StringComparer.Ordinal));

    /// <summary>The standard sequence when neither the matrix nor the command line names checks (the matrix's default).</summary>
    public static IReadOnlyList<string> Standard => MatrixFile.StandardChecks;

    /// <summary>The matrix file, once every check it names is known here: a misspelt check is refused before anything starts.</summary>
    public static MatrixFile Verified(MatrixFile matrix)
    {
        _ = Resolve(matrix.CheckNames);
        return matrix;
    }

    public static IReadOnlyCollection<ICheck> All => [.. Checks.Value.Values.OrderBy(c => c.Name, StringComparer.Ordinal)];

    /// <summary>The checks by name, in the given order; an unknown name is an error that lists the known ones.</summary>
    public static IReadOnlyList<ICheck> Resolve(IEnumerable<string> names) =>
        [.. names.Select(n => Checks.Value.TryGetValue(n.Trim(), out var c) ? c
            : throw new HarnessException($"unknown check '{n.Trim()}'", $"use one of: {string.Join(", ", Checks.Value.Keys.Order(StringComparer.Ordinal))}"))];

    /// <summary>The same checks without those that change what a live hub's users would notice.</summary>
    public static IReadOnlyList<ICheck> NonDestructive(IEnumerable<ICheck> checks) => [.. checks.Where(c => !c.Destructive)];
}
