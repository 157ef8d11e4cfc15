using System.Text.RegularExpressions;

namespace KernelRegression.Tests.Architecture;

/// <summary>One layer of docs/architecture.md's table: its number (0 at the bottom), its name and its namespaces.</summary>
public sealed record Layer(int Number, string Name, IReadOnlyList<string> Namespaces);

/// <summary>
/// The layers as docs/architecture.md states them (its "Layers" table), so the document and the test
/// that keeps it are one: a namespace moved in the code without the table, or in the table without the
/// code, fails.
/// </summary>
public static partial class LayerMap
{
    public static IReadOnlyList<Layer> FromArchitectureDoc()
    {
        var doc = File.ReadAllText(Path.Combine(Repository.Root, "docs", "architecture.md"));
        var start = doc.IndexOf("\n## Layers", StringComparison.Ordinal);
        if (start < 0)
        {
            throw new InvalidOperationException("docs/architecture.md has no '## Layers' section");
        }
        var section = doc[start..];
        var end = section.IndexOf("\n## ", 5, StringComparison.Ordinal);
        return [.. Row().Matches(end < 0 ? section : section[..end])
            .Select(m => new Layer(int.Parse(m.Groups["n"].Value, System.Globalization.CultureInfo.InvariantCulture), m.Groups["name"].Value.Trim(),
                [.. Namespace().Matches(m.Groups["namespaces"].Value).Select(n => n.Groups[1].Value)]))
            .OrderBy(l => l.Number)];
    }

    /// <summary>"| 4 | what was seen, and why | `KernelRegression.Evidence`, `KernelRegression.Latency` | …".</summary>
    [GeneratedRegex(@"^\| (?<n>\d+) \| (?<name>[^|]+) \| (?<namespaces>[^|]+) \|", RegexOptions.Multiline)]
    private static partial Regex Row();

    [GeneratedRegex(@"`(KernelRegression(?:\.[A-Za-z]+)*)`")]
    private static partial Regex Namespace();
}
