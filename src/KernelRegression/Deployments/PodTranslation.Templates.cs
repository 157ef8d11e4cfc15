using KernelRegression.Matrix;

namespace KernelRegression.Deployments;

/// <summary>
/// KubeSpawner's templates: every string it formats (kubespawner/spawner.py get_pod_manifest and
/// __init__: environment, volumes, volume_mounts, init_containers, extra_containers, extra_labels,
/// extra_annotations, service_account, extra_pod_config, pod/pvc name templates, a configured
/// working_dir; for a dynamic home also storage_extra_labels/annotations/selector) is checked here as
/// str.format would run it, so what raises there (KeyError, IndexError, ValueError) is refused while
/// reading. The launch carries the templates and the spawner fills them per user with the same
/// fields; text KubeSpawner does not format (cmd, lifecycle_hooks, extra_container_config, the image)
/// is carried with its braces doubled wherever the spawner formats.
/// </summary>
internal sealed partial class PodTranslation
{
    private KubeSpawnerFields? _fieldsOf;

    private KubeSpawnerFields Fields => _fieldsOf ??= FieldsOf(_s, _ctx.KubeSpawner);

    private static KubeSpawnerFields FieldsOf(SpawnerState s, KubeSpawnerVersion version)
    {
        var d = KubeSpawnerFields.Defaults(version);
        return d with
        {
            SlugScheme = version.Major is > 0 and < 7 ? d.SlugScheme : s["slug_scheme"] as string ?? d.SlugScheme,
            PodNameTemplate = s["pod_name_template"] as string is { Length: > 0 } pod ? pod : d.PodNameTemplate,
            PvcNameTemplate = s["pvc_name_template"] as string is { Length: > 0 } pvc ? pvc : d.PvcNameTemplate,
        };
    }

    private LaunchTemplates LaunchTemplates() =>
        new(_ctx.KubeSpawner.Major == 0 ? KubeSpawnerVersion.Default.Name : _ctx.KubeSpawner.Name, Fields.SlugScheme, Fields.PodNameTemplate, Fields.PvcNameTemplate, Fields.Namespace);

    /// <summary>The text, once str.format with this KubeSpawner's fields is known to accept it; else the refusal KubeSpawner's error makes.</summary>
    private string? Template(string? text, string key)
    {
        if (text is null || text.AsSpan().IndexOfAny('{', '}') < 0)
        {
            return text;
        }
        try
        {
            KubeSpawnerFields.Fill(text, Fields.For("kr-check", "", 1));
        }
        catch (StrFormatException e) when (!e.Python.StartsWith("NotImplemented", StringComparison.Ordinal))
        {
            throw new ValuesException(
                $"{key}: '{text}': KubeSpawner {_ctx.KubeSpawner.Name} fills it with str.format, which raises {e.Python}; the spawn fails",
                $"use KubeSpawner {_ctx.KubeSpawner.Name}'s fields {{{string.Join("}, {", Fields.Names)}}}, and double the braces ({{{{ }}}}) of literal ones (JSON, ${{VAR}})");
        }
        return text;
    }

    /// <summary>Every string of a value KubeSpawner formats (_expand_all: list items and map values, not map keys).</summary>
    private void TemplateTree(object? value, string key)
    {
        switch (value)
        {
            case string s:
                Template(s, key);
                break;
            case List<object?> l:
                foreach (var (item, i) in l.Select((x, i) => (x, i)))
                {
                    TemplateTree(item, ValuesTree.AsMap(item)?.GetValueOrDefault("name") is string n ? $"{key}[{n}]" : $"{key}[{i}]");
                }
                break;
            case OrderedDictionary<string, object?> m:
                foreach (var (k, v) in m)
                {
                    TemplateTree(v, $"{key}.{k}");
                }
                break;
        }
    }

    /// <summary>What KubeSpawner formats for this spawn, checked before anything else is read.</summary>
    private void CheckTemplates()
    {
        foreach (var trait in new[] { "pod_name_template", "pvc_name_template", "service_account" })
        {
            Template(_s[trait] as string, _s.SourceOf(trait));
        }
        // working_dir is filled once, when the spawner is made: a profile's override comes later and stays as written.
        if (_s["working_dir"] is string dir && !FromOverride("working_dir"))
        {
            Template(dir, _s.SourceOf("working_dir"));
        }
        foreach (var (k, v) in ValuesTree.AsMap(_s["environment"]) ?? [])
        {
            TemplateTree(v, _s.Get("environment")!.SourceOf(k));
        }
        foreach (var trait in new[] { "extra_labels", "extra_annotations" })
        {
            foreach (var (k, v) in ValuesTree.AsMap(_s[trait]) ?? [])
            {
                TemplateTree(v, _s.Get(trait)!.SourceOf(k));
            }
        }
        foreach (var trait in new[] { "volumes", "volume_mounts", "init_containers", "extra_containers", "extra_pod_config" })
        {
            TemplateTree(_s[trait], _s.SourceOf(trait));
        }
        if (_s["storage_pvc_ensure"] is true || ValuesTree.Scalar(ValuesTree.At(_ctx.Singleuser, "storage.type")) == "dynamic")
        {
            foreach (var trait in new[] { "storage_extra_labels", "storage_extra_annotations", "storage_selector" })
            {
                TemplateTree(_s[trait], _s.SourceOf(trait));
            }
        }
    }

    private bool FromOverride(string trait) => _s.SourceOf(trait).Contains("kubespawner_override", StringComparison.Ordinal);

    /// <summary>Text KubeSpawner does not format, for a launch field the spawner formats: braces doubled.</summary>
    private static string? Literal(string? text) => text is null ? null : StrFormat.Escape(text);
}
