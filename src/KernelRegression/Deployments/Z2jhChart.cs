using System.Text.Json.Nodes;
using Json.Schema;

namespace KernelRegression.Deployments;

/// <summary>
/// A released Zero to JupyterHub chart, as the suite carries it (fixtures/z2jh/VERSION/, copied from
/// jupyterhub/zero-to-jupyterhub-k8s at the tag): its values.yaml (the defaults helm coalesces the
/// operator's values over; an image tag "set-by-chartpress" is the chart version in a released chart)
/// and its values.schema.yaml, which helm validates the coalesced values against.
/// </summary>
public sealed class Z2jhChart
{
    public static readonly IReadOnlyList<string> Versions = ["3.3.8", "4.2.0"];

    public string Version { get; }
    /// <summary>The chart's values.yaml.</summary>
    internal OrderedDictionary<string, object?> Defaults { get; }
    internal OrderedDictionary<string, object?> SingleuserDefaults => ValuesTree.AsMap(Defaults["singleuser"])!;
    /// <summary>values.schema.yaml as JSON, for the keys and types a message names.</summary>
    internal JsonObject SchemaTree { get; }
    internal JsonSchema Schema { get; }

    private Z2jhChart(string version)
    {
        Version = version;
        var dir = FixturePaths.Of("z2jh", version);
        Defaults = ChartpressTags(Read(Path.Combine(dir, "values.yaml")), version);
        SchemaTree = (JsonObject)ToJson(Read(Path.Combine(dir, "values.schema.yaml")))!;
        Schema = JsonSchema.FromText(SchemaTree.ToJsonString());
    }

    private static OrderedDictionary<string, object?> Read(string path) =>
        File.Exists(path) ? ValuesYaml.Parse(ValuesSource.FromFile(path)).Root
            : throw new HarnessException($"the chart data {path} is missing", "restore fixtures/z2jh/ from the repository (see its README.md)");

    private static OrderedDictionary<string, object?> ChartpressTags(OrderedDictionary<string, object?> values, string version)
    {
        foreach (var (k, v) in values)
        {
            if (v is "set-by-chartpress")
            {
                values[k] = version;
            }
            else if (v is OrderedDictionary<string, object?> m)
            {
                ChartpressTags(m, version);
            }
        }
        return values;
    }

    /// <summary>A values tree as JSON (what helm hands the schema validator).</summary>
    internal static JsonNode? ToJson(object? v) => v switch
    {
        null => null,
        OrderedDictionary<string, object?> m => new JsonObject(m.Select(kv => KeyValuePair.Create(kv.Key, ToJson(kv.Value)))),
        List<object?> l => new JsonArray([.. l.Select(ToJson)]),
        string s => JsonValue.Create(s),
        bool b => JsonValue.Create(b),
        long n => JsonValue.Create(n),
        double d => JsonValue.Create(d),
        _ => JsonValue.Create(ValuesTree.Scalar(v)),
    };

    private static readonly Dictionary<string, Z2jhChart> Cache = [];

    public static Z2jhChart Of(string version)
    {
        if (!Versions.Contains(version))
        {
            throw new HarnessException($"unknown Zero to JupyterHub chart version '{version}'",
                $"use one of {string.Join(", ", Versions)} (the versions whose schema and defaults the suite carries)");
        }
        lock (Cache)
        {
            return Cache.TryGetValue(version, out var c) ? c : Cache[version] = new Z2jhChart(version);
        }
    }
}
