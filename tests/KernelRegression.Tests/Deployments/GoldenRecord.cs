using System.Text.Json.Nodes;

namespace KernelRegression.Tests.Deployments;

/// <summary>
/// One golden record (fixtures/deployments/golden/PAIR/DEPLOYMENT/*.json, eng/golden-pods/README.md):
/// the pod (or the refusal) the real chart config and KubeSpawner made for a deployment's values, a
/// profile and user options, and how to read the same values here.
/// </summary>
internal sealed record GoldenRecord(string File, JsonObject Json)
{
    /// <summary>The two pairs the corpus is rendered for.</summary>
    public static readonly string[] Pairs = ["3.3.8-ks6.2.0", "4.2.0-ks7.0.0"];

    public static string Root => FixturePaths.Of("deployments", "golden");

    public static IEnumerable<string> Files() =>
        Pairs.SelectMany(p => Directory.EnumerateFiles(Path.Combine(Root, p), "*.json", SearchOption.AllDirectories))
            .Select(f => Path.GetRelativePath(Root, f)).Order(StringComparer.Ordinal);

    public static GoldenRecord Load(string relative) => new(relative, JsonNode.Parse(System.IO.File.ReadAllText(Path.Combine(Root, relative)))!.AsObject());

    public string Kind => Json["kind"]!.GetValue<string>();
    public string Chart => Json["chart"]!["tag"]!.GetValue<string>();
    public string KubeSpawner => Json["kubespawner"]!["tag"]!.GetValue<string>();
    public JsonObject Pod => Json["pod"]!.AsObject();
    public JsonObject Refusal => Json["refusal"]!.AsObject();
    public string? ProfileSlug => Json["profile"]?["slug"]?.GetValue<string>();

    /// <summary>user_options as the spawn carried them: option choices and unlisted texts.</summary>
    public (Dictionary<string, string> Choices, Dictionary<string, string> Unlisted) Options()
    {
        var choices = new Dictionary<string, string>(StringComparer.Ordinal);
        var unlisted = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (k, v) in Json["user_options"]?.AsObject() ?? [])
        {
            if (k == "profile")
            {
                continue;
            }
            if (k.EndsWith("--unlisted-choice", StringComparison.Ordinal))
            {
                unlisted[k[..^"--unlisted-choice".Length]] = v!.GetValue<string>();
            }
            else
            {
                choices[k] = v!.GetValue<string>();
            }
        }
        return (choices, unlisted);
    }

    /// <summary>The values read as kr reads them: parent charts' values under their key, then the -f files, for the pair's chart.</summary>
    public DeploymentValues Read()
    {
        var files = Json["values"]!.AsArray().Select(v => (File: v!["file"]!.GetValue<string>(), Section: v["section"]!.GetValue<string>(), Role: v["role"]!.GetValue<string>())).ToList();
        var section = files.Last(f => f.Role == "user").Section;
        string Full(string file) => Path.Combine(FixturePaths.Root, "..", file);
        var parents = files.Where(f => f.Role == "parent-chart").Select(f =>
            (Key: f.Section == section ? "" : section.EndsWith("." + f.Section, StringComparison.Ordinal) ? section[..^(f.Section.Length + 1)]
                : throw new InvalidOperationException($"{File}: parent {f.File} (section {f.Section}) does not sit under {section}"), Path: Full(f.File))).ToList();
        var options = new ValuesOptions
        {
            Chart = Chart,
            ValuesKey = section.Length == 0 ? null : section,
            ChartValues = parents,
            Label = "golden",
            MaxChoicesPerProfile = 1,
        };
        return DeploymentValues.Load([.. files.Where(f => f.Role == "user").Select(f => Full(f.File))], options);
    }

    /// <summary>The fields KubeSpawner filled the pod's templates with: the record's user, its namespace.</summary>
    public IReadOnlyDictionary<string, object> Fields(LaunchTemplates templates)
    {
        var user = Json["user"]!;
        var version = KubeSpawnerVersion.Parse(KubeSpawner);
        return new KubeSpawnerFields(version, templates.SlugScheme, templates.PodNameTemplate, templates.PvcNameTemplate, user["namespace"]!.GetValue<string>())
            .For(user["name"]!.GetValue<string>(), user["server_name"]!.GetValue<string>(), user["id"]!.GetValue<long>());
    }
}
