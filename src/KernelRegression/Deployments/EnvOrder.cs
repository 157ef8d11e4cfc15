using System.Text.RegularExpressions;

namespace KernelRegression.Deployments;

/// <summary>
/// The order KubeSpawner gives a container's environment (kubespawner/objects.py make_pod): rounds
/// of the entries whose $(VAR) references are all already placed, each round sorted by key; what is
/// left (unresolvable or circular) last, sorted. Kubernetes expands $(VAR) only from entries above,
/// so the order decides what a reference becomes. Variables JupyterHub sets count as placed.
/// </summary>
internal static partial class EnvOrder
{
    public static bool FromHub(string name) =>
        name.StartsWith("JUPYTERHUB_", StringComparison.Ordinal)
        || name is "JPY_API_TOKEN" or "MEM_LIMIT" or "MEM_GUARANTEE" or "CPU_LIMIT" or "CPU_GUARANTEE";

    public static List<(string Key, string Name, string Value)> Sort(IEnumerable<(string Key, string Name, string Value)> entries)
    {
        var unsorted = entries.ToDictionary(e => e.Name, e => (Entry: e, Deps: References(e.Value).Where(d => d != e.Name && !FromHub(d)).ToHashSet()), StringComparer.Ordinal);
        var sorted = new List<(string Key, string Name, string Value)>();
        while (true)
        {
            var placed = sorted.Select(e => e.Name).ToHashSet(StringComparer.Ordinal);
            var ready = unsorted.Values.Where(x => x.Deps.IsSubsetOf(placed)).Select(x => x.Entry).ToList();
            if (ready.Count == 0)
            {
                sorted.AddRange(unsorted.Values.Select(x => x.Entry).OrderBy(e => e.Key, StringComparer.Ordinal));
                return sorted;
            }
            foreach (var e in ready)
            {
                unsorted.Remove(e.Name);
            }
            sorted.AddRange(ready.OrderBy(e => e.Key, StringComparer.Ordinal));
        }
    }

    public static IEnumerable<string> References(string value) => Reference().Matches(value).Select(m => m.Groups[1].Value);

    [GeneratedRegex(@"\$\(([^\)]+)\)")]
    private static partial Regex Reference();
}
