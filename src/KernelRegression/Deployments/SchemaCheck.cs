using System.Text.Json;
using System.Text.Json.Nodes;
using Json.Schema;

namespace KernelRegression.Deployments;

/// <summary>
/// What `helm install` would refuse before anything runs: the z2jh section, coalesced over the chart's
/// values.yaml as helm coalesces it, validated against the chart's own values.schema.yaml (JSON schema
/// draft-07, with JsonSchema.Net). Every problem is listed, each with where it was written, and an
/// unknown key with the key it was probably meant to be.
/// </summary>
internal static class SchemaCheck
{
    public static void Validate(OrderedDictionary<string, object?> section, string prefix, Z2jhChart chart, Func<string, ValuesPosition?> where)
    {
        var coalesced = HelmValues.Coalesce(section, chart.Defaults);
        using var instance = JsonDocument.Parse(Z2jhChart.ToJson(coalesced)!.ToJsonString());
        var results = chart.Schema.Evaluate(instance.RootElement, new EvaluationOptions { OutputFormat = OutputFormat.List });
        if (results.IsValid)
        {
            return;
        }
        string Full(string path) => prefix.Length == 0 ? path : $"{prefix}.{path}";
        string At(string path) => where(Full(path)) is { } p ? $" ({p})" : "";

        var problems = new List<string>();
        var details = results.Details ?? [];
        var branches = details.Where(d => Branch(d.EvaluationPath.ToString()) is not null).ToLookup(d => Branch(d.EvaluationPath.ToString())!, StringComparer.Ordinal);
        foreach (var d in details.Where(d => d.Errors is { Count: > 0 } || (!d.IsValid && branches.Contains(d.EvaluationPath.ToString()))))
        {
            var evaluation = d.EvaluationPath.ToString();
            // A oneOf/anyOf branch that did not match is not itself a problem (its parent says how many did),
            // nor is an if that did not hold (it only chooses then or else).
            if (evaluation.Contains("/oneOf/", StringComparison.Ordinal) || evaluation.Contains("/anyOf/", StringComparison.Ordinal)
                || evaluation.Contains("/if/", StringComparison.Ordinal) || evaluation.EndsWith("/if", StringComparison.Ordinal))
            {
                continue;
            }
            if (d.Errors is not { Count: > 0 } && branches[evaluation].Count(b => b.IsValid) == 1)
            {
                continue;
            }
            var segments = d.InstanceLocation.ToString().Split('/', StringSplitOptions.RemoveEmptyEntries)
                .Select(s => s.Replace("~1", "/", StringComparison.Ordinal).Replace("~0", "~", StringComparison.Ordinal)).ToList();
            var path = Dotted(segments);
            var value = ValueAt(coalesced, segments);
            var problem = d.Errors?.ContainsKey("additionalProperties") == true || evaluation.EndsWith("/additionalProperties", StringComparison.Ordinal)
                    || evaluation.Contains("/additionalProperties/", StringComparison.Ordinal)
                ? UnknownKey(chart.SchemaTree, segments)
                : d.Errors is not { Count: > 0 } || d.Errors.ContainsKey("oneOf") ? OneOf(SchemaAt(chart.SchemaTree, segments), value)
                : d.Errors.ContainsKey("type") || d.Errors.ContainsKey("enum") ? WrongType(SchemaAt(chart.SchemaTree, segments), value)
                : d.Errors.ContainsKey("required") ? Required(SchemaAt(chart.SchemaTree, segments), value)
                : string.Join("; ", d.Errors.Select(e => $"{e.Value} (schema: {e.Key})"));
            var line = $"{Full(path)}{At(path)}: {problem}";
            if (!problems.Contains(line))
            {
                problems.Add(line);
            }
        }
        if (problems.Count > 0)
        {
            throw new ValuesException(
                $"the chart (z2jh {chart.Version}) would refuse these values:\n  " + string.Join("\n  ", problems),
                "fix the keys named (helm install validates the values against the chart's values.schema.yaml, fixtures/z2jh/" + chart.Version + "); "
                + "the keys are listed at https://z2jh.jupyter.org/en/stable/resources/reference.html");
        }
    }

    /// <summary>For the result of a oneOf branch (…/oneOf/N), the evaluation path of the node that has the oneOf.</summary>
    private static string? Branch(string evaluation)
    {
        var i = evaluation.LastIndexOf("/oneOf/", StringComparison.Ordinal);
        return i >= 0 && evaluation[(i + 7)..].All(char.IsAsciiDigit) ? evaluation[..i] : null;
    }

    private static string UnknownKey(JsonObject schema, List<string> segments)
    {
        var parent = SchemaAt(schema, segments.Take(segments.Count - 1));
        var known = (parent?["properties"] as JsonObject)?.Select(p => p.Key).ToList() ?? [];
        var closest = Closest.To(segments[^1], known);
        var owner = segments.Count == 1 ? "the chart" : $"the chart's {Dotted(segments.Take(segments.Count - 1))}";
        return $"not a key of {owner}{(closest is null ? "" : $"; did you mean '{closest}'?")}";
    }

    private static string WrongType(JsonObject? node, object? value)
    {
        var types = node?["type"] switch
        {
            JsonArray a => a.Select(t => t!.GetValue<string>()).ToList(),
            JsonValue v => [v.GetValue<string>()],
            _ => [],
        };
        var expected = new List<string>();
        if (node?["enum"] is JsonArray options)
        {
            expected.Add("one of " + string.Join(", ", options.Select(o => o is null ? "null" : o.ToString() is { Length: > 0 } t ? t : "''")));
        }
        expected.AddRange(types.Select(t => t switch
        {
            "object" => "a map",
            "array" => "a list",
            "integer" => "an integer",
            "number" => "a number",
            "string" => "a string",
            "boolean" => "true or false",
            _ => t,
        }));
        var hint = value is double or long && types.Contains("string") ? " (quote it: YAML reads an unquoted 2026.11 as a number)" : "";
        return $"is {ValuesTree.Describe(value)}, the chart wants {string.Join(" or ", expected)}{hint}";
    }

    /// <summary>oneOf of required keys (extraFiles: data, stringData or binaryData): which it has, and that it needs exactly one.</summary>
    private static string OneOf(JsonObject? node, object? value)
    {
        var choices = (node?["oneOf"] as JsonArray)?.Select(b => (b?["required"] as JsonArray)?.Select(r => r!.GetValue<string>()).ToList()).ToList() ?? [];
        if (choices.Count == 0 || choices.Any(c => c is not { Count: 1 }))
        {
            return "does not match exactly one of the schema's choices (oneOf)";
        }
        var names = choices.Select(c => c![0]).ToList();
        var has = names.Where(n => ValuesTree.AsMap(value)?.ContainsKey(n) == true).ToList();
        return has.Count == 0
            ? $"has none of {string.Join(", ", names)}: the chart wants exactly one of them"
            : $"has {string.Join(" and ", has)}: the chart wants only one of {string.Join(", ", names)}";
    }

    private static string Required(JsonObject? node, object? value)
    {
        var missing = (node?["required"] as JsonArray)?.Select(r => r!.GetValue<string>()).Where(r => ValuesTree.AsMap(value)?.ContainsKey(r) != true).ToList() ?? [];
        return $"the chart requires {string.Join(", ", missing)} here";
    }

    /// <summary>The schema of the value at an instance path: properties, else patternProperties, else additionalProperties; list items.</summary>
    private static JsonObject? SchemaAt(JsonObject? node, IEnumerable<string> segments)
    {
        foreach (var seg in segments)
        {
            node = node?["properties"]?[seg] as JsonObject
                ?? (node?["patternProperties"] as JsonObject)?.Select(p => p.Value).OfType<JsonObject>().FirstOrDefault()
                ?? node?["additionalProperties"] as JsonObject
                ?? node?["items"] as JsonObject;
        }
        return node;
    }

    private static object? ValueAt(object? value, IEnumerable<string> segments)
    {
        foreach (var seg in segments)
        {
            value = value switch
            {
                OrderedDictionary<string, object?> m => m.GetValueOrDefault(seg),
                List<object?> l when int.TryParse(seg, out var i) && i < l.Count => l[i],
                _ => null,
            };
        }
        return value;
    }

    /// <summary>["singleuser", "profileList", "0", "slug"] → singleuser.profileList[0].slug (as the positions name it).</summary>
    private static string Dotted(IEnumerable<string> segments) =>
        string.Concat(segments.Select((s, i) => s.All(char.IsAsciiDigit) && s.Length > 0 ? $"[{s}]" : i == 0 ? s : "." + s));
}
