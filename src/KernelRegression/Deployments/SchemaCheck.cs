namespace KernelRegression.Deployments;

/// <summary>
/// What `helm install` would refuse in the z2jh section before anything runs: a key the chart's
/// schema does not have under `singleuser` (additionalProperties: false), under `hub` or at the
/// section's top, and a value of the wrong type under `singleuser`. Every problem is listed, each
/// with where it was written and the key it was probably meant to be.
/// </summary>
internal static class SchemaCheck
{
    public static void Validate(OrderedDictionary<string, object?> section, string prefix, Z2jhChart chart, Func<string, ValuesPosition?> where)
    {
        var problems = new List<string>();
        string Full(string path) => prefix.Length == 0 ? path : $"{prefix}.{path}";
        string At(string path) => where(Full(path)) is { } p ? $" ({p})" : "";

        foreach (var key in section.Keys.Where(k => !Z2jhChart.TopKeys.Contains(k)))
        {
            var closest = Closest.To(key, Z2jhChart.TopKeys);
            problems.Add($"{Full(key)}{At(key)}: not a key of the chart{(closest is null ? "" : $"; did you mean '{closest}'?")}");
        }
        if (ValuesTree.AsMap(section.GetValueOrDefault("hub")) is { } hub)
        {
            foreach (var key in hub.Keys.Where(k => !Z2jhChart.HubKeys.Contains(k)))
            {
                var closest = Closest.To(key, Z2jhChart.HubKeys);
                problems.Add($"{Full("hub." + key)}{At("hub." + key)}: not a key of the chart's hub{(closest is null ? "" : $"; did you mean '{closest}'?")}");
            }
        }
        if (section.TryGetValue("singleuser", out var su))
        {
            if (su is not null and not OrderedDictionary<string, object?>)
            {
                problems.Add($"{Full("singleuser")}{At("singleuser")}: is {ValuesTree.Describe(su)}, the chart wants a map");
            }
            else if (su is OrderedDictionary<string, object?> map)
            {
                Walk(map, chart.Singleuser, "singleuser", problems, Full, At);
            }
        }
        if (problems.Count > 0)
        {
            throw new ValuesException(
                $"the chart (z2jh {chart.Version}) would refuse these values:\n  " + string.Join("\n  ", problems),
                "fix the keys named (helm install fails on them: the chart's values.schema.yaml has additionalProperties: false); "
                + $"keys under singleuser are listed at https://z2jh.jupyter.org/en/stable/resources/reference.html");
        }
    }

    private static void Walk(OrderedDictionary<string, object?> map, SchemaNode schema, string path, List<string> problems,
        Func<string, string> full, Func<string, string> at)
    {
        foreach (var (key, value) in map)
        {
            var child = $"{path}.{key}";
            var node = schema.Children.GetValueOrDefault(key) ?? schema.AnyKey;
            if (node is null)
            {
                var closest = Closest.To(key, schema.Children.Keys);
                problems.Add($"{full(child)}{at(child)}: not a key of the chart's {path}{(closest is null ? "" : $"; did you mean '{closest}'?")}");
                continue;
            }
            // A user's null deletes the chart's default: the schema then sees the key missing, not null.
            if (value is null)
            {
                continue;
            }
            if (!node.Accepts(value))
            {
                var hint = value is double or long && node.Types.Contains("string") ? " (quote it: YAML reads an unquoted 2026.11 as a number)" : "";
                problems.Add($"{full(child)}{at(child)}: is {ValuesTree.Describe(value)}, the chart wants {node.Expected}{hint}");
                continue;
            }
            if (value is OrderedDictionary<string, object?> sub && (node.Closed || node.AnyKey is not null))
            {
                Walk(sub, node, child, problems, full, at);
            }
        }
    }
}
