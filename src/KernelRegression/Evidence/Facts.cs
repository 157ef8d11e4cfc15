using System.Text;

namespace KernelRegression.Evidence;

/// <summary>
/// The "facts" evidence of a cell: key=value lines (versions, launch profile fields, process tree,
/// user, container state) that the diagnosis compares between a failing and a passing cell.
/// </summary>
public static class Facts
{
    public static string Render(IEnumerable<KeyValuePair<string, string>> facts) =>
        facts.OrderBy(f => f.Key, StringComparer.Ordinal)
            .Aggregate(new StringBuilder(), (sb, f) => sb.Append(f.Key).Append('=').Append(f.Value.Replace('\n', ' ')).Append('\n'))
            .ToString();

    /// <summary>Environment variables as facts, secrets masked by name and by value.</summary>
    public static void AddEnvironment(IEnumerable<string> variables, IDictionary<string, string> facts)
    {
        foreach (var v in variables)
        {
            var eq = v.IndexOf('=', StringComparison.Ordinal);
            if (eq <= 0)
            {
                continue;
            }
            var name = v[..eq];
            var value = name.Contains("TOKEN", StringComparison.Ordinal) || name.Contains("SECRET", StringComparison.Ordinal) || name.Contains("KEY", StringComparison.Ordinal)
                ? Secrets.Mask
                : Secrets.Redact(v[(eq + 1)..]);
            facts["env." + name] = value;
        }
    }
}
