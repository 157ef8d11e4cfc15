using System.Text.RegularExpressions;

namespace KernelRegression.Deployments;

/// <summary>
/// The order KubeSpawner gives a container's environment (kubespawner/objects.py make_pod): rounds of
/// the entries whose $(VAR) references are all already placed, each round sorted by key; what is left
/// (unresolvable or circular) last, sorted. Kubernetes expands $(VAR) only from entries above, so the
/// order decides what a reference becomes. JupyterHub's own variables take part as entries without
/// references (they are in the pod's env too); the launch carries the others, in their pod order.
/// </summary>
internal static partial class EnvOrder
{
    /// <summary>What JupyterHub's Spawner.get_env sets on every spawn (MEM_LIMIT, JUPYTERHUB_DEFAULT_URL, … only when set).</summary>
    public static readonly IReadOnlyList<string> HubAlways =
    [
        "JPY_API_TOKEN", "JUPYTERHUB_ACTIVITY_URL", "JUPYTERHUB_API_TOKEN", "JUPYTERHUB_API_URL", "JUPYTERHUB_BASE_URL",
        "JUPYTERHUB_CLIENT_ID", "JUPYTERHUB_HOST", "JUPYTERHUB_OAUTH_ACCESS_SCOPES", "JUPYTERHUB_OAUTH_CALLBACK_URL",
        "JUPYTERHUB_OAUTH_CLIENT_ALLOWED_SCOPES", "JUPYTERHUB_OAUTH_SCOPES", "JUPYTERHUB_SERVER_NAME", "JUPYTERHUB_SERVICE_PREFIX",
        "JUPYTERHUB_SERVICE_URL", "JUPYTERHUB_USER",
    ];

    /// <param name="hub">The hub's variables on this spawn, placed with the entries (the launch does not carry them).</param>
    public static List<(string Key, string Name, string Value)> Sort(IEnumerable<(string Key, string Name, string Value)> entries, IReadOnlySet<string> hub)
    {
        var own = entries.ToList();
        var ownNames = own.Select(e => e.Name).ToHashSet(StringComparer.Ordinal);
        var all = own.Select(e => (Entry: e, Hub: false))
            .Concat(hub.Where(h => !ownNames.Contains(h)).Select(h => (Entry: (Key: h, Name: h, Value: ""), Hub: true)))
            .ToDictionary(x => x.Entry.Name, x => (x.Entry, x.Hub, Deps: References(x.Entry.Value).Where(d => d != x.Entry.Name).ToHashSet()), StringComparer.Ordinal);
        var sorted = new List<((string Key, string Name, string Value) Entry, bool Hub)>();
        while (true)
        {
            var placed = sorted.Select(e => e.Entry.Name).ToHashSet(StringComparer.Ordinal);
            var ready = all.Values.Where(x => x.Deps.IsSubsetOf(placed)).ToList();
            if (ready.Count == 0)
            {
                sorted.AddRange(all.Values.OrderBy(x => x.Entry.Key, StringComparer.Ordinal).Select(x => (x.Entry, x.Hub)));
                break;
            }
            foreach (var x in ready)
            {
                all.Remove(x.Entry.Name);
            }
            sorted.AddRange(ready.OrderBy(x => x.Entry.Key, StringComparer.Ordinal).Select(x => (x.Entry, x.Hub)));
        }
        return [.. sorted.Where(x => !x.Hub).Select(x => x.Entry)];
    }

    public static IEnumerable<string> References(string value) => Reference().Matches(value).Select(m => m.Groups[1].Value);

    [GeneratedRegex(@"\$\(([^\)]+)\)")]
    private static partial Regex Reference();
}
