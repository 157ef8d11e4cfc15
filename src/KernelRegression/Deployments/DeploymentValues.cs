using YamlDotNet.Serialization;
using KernelRegression.Matrix;

namespace KernelRegression.Deployments;

/// <summary>
/// An operator's Zero to JupyterHub values, read the way helm and the chart read them, as cells for
/// the docker tier: the files merged (later wins), the z2jh section found, checked against the
/// chart's schema, the chart's defaults and hub config applied, one cell per profile (and option
/// choice), each translated into a <see cref="Matrix.LaunchProfile"/> plus what could not apply.
/// Everything is computed when parsing: bad values fail here, before anything runs.
/// </summary>
public sealed class DeploymentValues
{
    private readonly OrderedDictionary<string, object?> _merged;

    private readonly Reading _reading;

    /// <summary>What every cell is built from: the spawner's traits before any profile, what applies nowhere, the translation's inputs.</summary>
    private sealed record Reading(SpawnerState BaseState, List<NotApplied> Everywhere, TranslationContext Context, KubeSpawnerVersion KubeSpawner);

    private DeploymentValues(IReadOnlyList<string> files, OrderedDictionary<string, object?> merged, string sectionKey, string label,
        ValuesOptions options, IReadOnlyList<ValuesCell> cells, IReadOnlyList<string> notes, IReadOnlyList<ValuesRefusal> refusals, Reading reading)
    {
        _reading = reading;
        Refusals = refusals;
        Files = files;
        _merged = merged;
        SectionKey = sectionKey;
        Label = label;
        Options = options;
        Cells = cells;
        Notes = notes;
    }

    /// <summary>The files, in the order they were merged (names as given, or REV:path).</summary>
    public IReadOnlyList<string> Files { get; }
    /// <summary>The dotted path of the z2jh section ("" = the top level).</summary>
    public string SectionKey { get; }
    /// <summary>The cell ids' first part: values-NAME.</summary>
    public string Label { get; }
    public ValuesOptions Options { get; }
    public IReadOnlyList<ValuesCell> Cells { get; }
    /// <summary>What the reading decided that a reader should know (options not expanded, …).</summary>
    public IReadOnlyList<string> Notes { get; }
    /// <summary>Profiles KubeSpawner would refuse to start (an option with no choice to default to): not run, each with its key and rule.</summary>
    public IReadOnlyList<ValuesRefusal> Refusals { get; }

    /// <summary>Reads values files from disk (helm's -f order).</summary>
    public static DeploymentValues Load(IReadOnlyList<string> files, ValuesOptions? options = null)
    {
        if (files.Count == 0)
        {
            throw new ValuesException("no values files given", "pass one or more --values FILE (KR_VALUES=a.yaml,b.yaml for dotnet test), in helm's -f order");
        }
        return Parse(files.Select(ValuesSource.FromFile).ToList(), options);
    }

    public static DeploymentValues Parse(IReadOnlyList<ValuesSource> sources, ValuesOptions? options = null)
    {
        options ??= new ValuesOptions();
        // A parent chart's own values come first: the operator's files override them, as helm layers them.
        sources = [.. options.ChartValues.Select(cv => ValuesSource.FromFile(cv.Path) with { At = cv.Key }), .. sources];
        var names = sources.Select(s => s.Name).ToList();
        var docs = sources.Select(ValuesYaml.Parse).ToList();
        var positions = new Dictionary<string, ValuesPosition>(StringComparer.Ordinal);
        foreach (var d in docs)
        {
            foreach (var (k, v) in d.Positions)
            {
                positions[k] = v;
            }
        }
        var merged = HelmValues.Merge(docs.Select(d => d.Root));
        var sectionKey = Z2jhSection.Find(merged, options.ValuesKey, names);
        var user = sectionKey.Length == 0 ? merged : (OrderedDictionary<string, object?>)ValuesTree.At(merged, sectionKey)!;
        var chart = Z2jhChart.Of(options.Chart);
        SchemaCheck.Validate(user, sectionKey, chart, path => positions.GetValueOrDefault(path));

        // The values as the chart's config reads them: the operator's over the chart's values.yaml (a null deletes a default).
        var section = HelmValues.Coalesce(user, chart.Defaults);
        var singleuser = (OrderedDictionary<string, object?>)section["singleuser"]!;

        var everywhere = new List<NotApplied>();
        var config = ChartConfig.Build(section, user, chart, options.KubeSpawner, everywhere);
        if (ValuesTree.At(singleuser, "networkPolicy.enabled") is true)
        {
            everywhere.Add(new NotApplied("singleuser.networkPolicy", "a NetworkPolicy limits the pod's traffic on a cluster (enabled by the chart's default); a docker network has none"));
        }
        var baseState = SpawnerState.From(config.Spawner, config.KubeSpawner);
        var label = "values-" + (string.IsNullOrWhiteSpace(options.Label) ? Slug.Of(Path.GetFileNameWithoutExtension(names[^1])) : Slug.Of(options.Label));
        var notes = new List<string>();
        var refusals = new List<ValuesRefusal>();
        var profiles = ProfileList.Expand(baseState["profile_list"], baseState.SourceOf("profile_list"), options.MaxChoicesPerProfile, notes, refusals);
        var context = new TranslationContext(chart, options.KubeSpawner, options.Images, options.VolumeFiles, options.VolumeFileContents, singleuser);
        var reading = new Reading(baseState, everywhere, context, options.KubeSpawner);

        var cells = new List<ValuesCell>();
        if (profiles.Count == 0 && refusals.Count == 0)
        {
            cells.Add(Cell($"{label}/singleuser", "", null, new Dictionary<string, string>(), true, baseState, [], everywhere, context));
        }
        cells.AddRange(profiles.Select(p => Profile(label, p, reading)));
        return new DeploymentValues(names, merged, sectionKey, label, options, cells, notes, refusals, reading);
    }

    /// <summary>
    /// The cell of one spawn's user_options, as KubeSpawner's load_user_options reads them: a profile
    /// (null: the default), option choices (missing: the default choice) and a user's text for unlisted
    /// choices. What KubeSpawner would raise on is refused.
    /// </summary>
    public ValuesCell CellFor(string? profile, IReadOnlyDictionary<string, string> choices, IReadOnlyDictionary<string, string> unlisted)
    {
        var list = _reading.BaseState["profile_list"];
        if (list is null or List<object?> { Count: 0 })
        {
            return Cells.Single();
        }
        return Profile(Label, ProfileList.Choose(list, _reading.BaseState.SourceOf("profile_list"), profile, choices, unlisted), _reading);
    }

    private static ValuesCell Profile(string label, ProfileChoice p, Reading reading)
    {
        var state = reading.BaseState.Clone();
        var overrides = new List<NotApplied>();
        if (p.Override is not null)
        {
            state.ApplyOverride(p.Override, p.OverrideSource, reading.KubeSpawner, overrides);
        }
        foreach (var (_, _, o, source) in p.Choices)
        {
            if (o is not null)
            {
                state.ApplyOverride(o, source, reading.KubeSpawner, overrides);
            }
        }
        var id = $"{label}/profile-{p.Slug}" + (p.Choices.Count switch
        {
            0 => "",
            1 => $"/opt-{Slug.Of(p.Choices[0].Choice)}",
            _ => string.Concat(p.Choices.Select(c => $"/opt-{Slug.Of(c.Option)}-{Slug.Of(c.Choice)}")),
        });
        var choices = p.Choices.ToDictionary(c => c.Option, c => c.Choice, StringComparer.Ordinal);
        return Cell(id, p.Slug, p.DisplayName, choices, p.IsDefault, state, overrides, reading.Everywhere, reading.Context);
    }

    private static ValuesCell Cell(string id, string slug, string? displayName, Dictionary<string, string> choices, bool isDefault,
        SpawnerState state, List<NotApplied> overrides, List<NotApplied> everywhere, TranslationContext context)
    {
        var t = PodTranslation.Of(state, context);
        var notApplied = new List<NotApplied>();
        foreach (var n in everywhere.Concat(overrides).Concat(t.NotApplied))
        {
            if (!notApplied.Any(x => x.Key == n.Key))
            {
                notApplied.Add(n);
            }
        }
        return new ValuesCell
        {
            Id = id,
            Profile = slug,
            DisplayName = displayName,
            Choices = choices,
            IsDefault = isDefault,
            Image = t.Image,
            InitImages = t.InitImages,
            Launch = t.Launch with { Name = id, Description = displayName ?? "the values' single-user launch" },
            NotApplied = notApplied,
            Notes = t.Notes,
            Sources = t.Sources,
        };
    }

    /// <summary>
    /// The merged values as one YAML document (what `helm -f` of every file gives, before the chart's
    /// defaults): the kind tier installs the chart with exactly these, plus the suite's own overrides.
    /// </summary>
    public string MergedYaml() => Yaml(_merged);

    /// <summary>Only the z2jh section of the merged values: what the z2jh chart itself takes when installed on its own.</summary>
    public string SectionYaml() => Yaml(SectionKey.Length == 0 ? _merged : ValuesTree.At(_merged, SectionKey));

    private static string Yaml(object? values) => new SerializerBuilder().WithQuotingNecessaryStrings(true).Build().Serialize(ToPlain(values));

    private static object? ToPlain(object? v) => v switch
    {
        OrderedDictionary<string, object?> m => m.ToDictionary(kv => kv.Key, kv => ToPlain(kv.Value)),
        List<object?> l => l.Select(ToPlain).ToList(),
        _ => v,
    };
}
