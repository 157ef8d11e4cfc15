namespace KernelRegression.Deployments;

/// <summary>
/// How helm combines values (helm/helm pkg/cli/values/options.go mergeMaps, pkg/chartutil/coalesce.go):
/// `-f` files left to right, maps merged key by key, anything else (lists, scalars, null) replacing
/// whole; then the result over the chart's defaults, where a user's null deletes the default.
/// </summary>
internal static class HelmValues
{
    /// <summary>Later layers win; maps merge deeply; lists and scalars replace; null is kept (it deletes a default later).</summary>
    public static OrderedDictionary<string, object?> Merge(IEnumerable<OrderedDictionary<string, object?>> layers)
    {
        var result = ValuesTree.NewMap();
        foreach (var layer in layers)
        {
            result = MergeMaps(result, layer);
        }
        return result;
    }

    private static OrderedDictionary<string, object?> MergeMaps(OrderedDictionary<string, object?> a, OrderedDictionary<string, object?> b)
    {
        var output = ValuesTree.CloneMap(a);
        foreach (var (k, v) in b)
        {
            if (v is OrderedDictionary<string, object?> bm && output.TryGetValue(k, out var av) && av is OrderedDictionary<string, object?> am)
            {
                output[k] = MergeMaps(am, bm);
                continue;
            }
            output[k] = ValuesTree.Clone(v);
        }
        return output;
    }

    /// <summary>
    /// The user's values over the chart's defaults: a null deletes the default key, maps merge, anything
    /// else replaces. A null for a key the chart has no default for stays (helm keeps it, and the hub's
    /// `c[app].update(hub.config…)` sets a trait to None with it).
    /// </summary>
    public static OrderedDictionary<string, object?> Coalesce(OrderedDictionary<string, object?> user, OrderedDictionary<string, object?> defaults)
    {
        var output = ValuesTree.NewMap();
        foreach (var (k, dv) in defaults)
        {
            if (!user.TryGetValue(k, out var uv))
            {
                if (dv is not null)
                {
                    output[k] = ValuesTree.Clone(dv);
                }
                continue;
            }
            if (uv is null)
            {
                continue;
            }
            output[k] = uv is OrderedDictionary<string, object?> um && dv is OrderedDictionary<string, object?> dm
                ? Coalesce(um, dm)
                : ValuesTree.Clone(uv);
        }
        foreach (var (k, uv) in user)
        {
            if (!defaults.ContainsKey(k))
            {
                output[k] = ValuesTree.Clone(uv);
            }
        }
        return output;
    }
}
