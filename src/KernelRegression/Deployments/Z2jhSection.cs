namespace KernelRegression.Deployments;

/// <summary>
/// Where the z2jh chart's values sit in the merged values: at the top (the chart installed on its
/// own), or under an umbrella chart's dependency key, however deep (`jupyterhub:`, or
/// `basehub: jupyterhub:` as 2i2c's daskhub → basehub → jupyterhub). An explicit dotted key path wins.
/// </summary>
internal static class Z2jhSection
{
    private static readonly string[] Markers = ["singleuser", "hub", "proxy"];

    /// <summary>The dotted path of the section ("" = the top level).</summary>
    public static string Find(OrderedDictionary<string, object?> root, string? keyPath, IReadOnlyList<string> files)
    {
        if (!string.IsNullOrEmpty(keyPath))
        {
            return Explicit(root, keyPath, files);
        }
        if (Markers.Any(root.ContainsKey))
        {
            return "";
        }
        var found = new List<string>();
        var loose = new List<string>();
        var queue = new Queue<(string Path, OrderedDictionary<string, object?> Map)>([("", root)]);
        while (queue.Count > 0)
        {
            var (path, map) = queue.Dequeue();
            foreach (var (k, v) in map)
            {
                if (v is not OrderedDictionary<string, object?> child)
                {
                    continue;
                }
                var childPath = path.Length == 0 ? k : $"{path}.{k}";
                if (k == "jupyterhub")
                {
                    (Markers.Any(child.ContainsKey) ? found : loose).Add(childPath);
                    if (Markers.Any(child.ContainsKey))
                    {
                        continue; // z2jh has no chart under it
                    }
                }
                queue.Enqueue((childPath, child));
            }
        }
        var candidates = found.Count > 0 ? found : loose;
        if (candidates.Count == 1)
        {
            return candidates[0];
        }
        if (candidates.Count > 1)
        {
            throw new ValuesException(
                $"the values ({string.Join(", ", files)}) hold {candidates.Count} Zero to JupyterHub sections: {string.Join(", ", candidates)}",
                $"name the one to test with --values-key (e.g. --values-key {candidates[0]}; KR_VALUES_KEY for dotnet test)");
        }
        throw new ValuesException(
            $"no Zero to JupyterHub section in the values ({string.Join(", ", files)}): no singleuser/hub/proxy at the top and no `jupyterhub:` key under it; "
            + $"top-level keys found: {(root.Count == 0 ? "(none: the files are empty)" : string.Join(", ", root.Keys))}",
            "if the chart sits under another key (an umbrella chart's alias), name it with --values-key, e.g. --values-key " + (root.Keys.FirstOrDefault() ?? "mychart") + ".jupyterhub");
    }

    private static string Explicit(OrderedDictionary<string, object?> root, string keyPath, IReadOnlyList<string> files)
    {
        object? cur = root;
        var walked = new List<string>();
        foreach (var part in keyPath.Split('.'))
        {
            var map = ValuesTree.AsMap(cur);
            if (map is null || !map.TryGetValue(part, out cur) || cur is not OrderedDictionary<string, object?>)
            {
                var here = walked.Count == 0 ? "the top level" : string.Join('.', walked);
                throw new ValuesException(
                    $"--values-key {keyPath}: the values ({string.Join(", ", files)}) have no map at '{string.Join('.', walked.Append(part))}'; "
                    + $"keys at {here}: {(map is null || map.Count == 0 ? "(none)" : string.Join(", ", map.Keys))}",
                    "give the dotted path of the map that holds singleuser/hub (e.g. jupyterhub or basehub.jupyterhub), or leave --values-key out to detect it");
            }
            walked.Add(part);
        }
        return keyPath;
    }
}
