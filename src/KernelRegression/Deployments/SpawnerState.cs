using KernelRegression.Matrix;

namespace KernelRegression.Deployments;

/// <summary>A trait's value and the values key that set it (for "not applied" and "what changed" lines).</summary>
internal sealed record TraitValue(object? Value, string Source, bool ByOperator)
{
    /// <summary>For a map merged from several places: which key each entry came from.</summary>
    public IReadOnlyDictionary<string, string>? KeySources { get; init; }

    public string SourceOf(string key) => KeySources?.GetValueOrDefault(key) ?? $"{Source}.{key}";
}

/// <summary>
/// KubeSpawner's traits for one spawn: the hub's config (a KubeSpawner setting beats a Spawner one,
/// whatever the order: traitlets gives a subclass's config priority), then a profile's
/// kubespawner_override, then each chosen option's (kubespawner/spawner.py _apply_overrides: a dict
/// value merges into a dict trait recursively, a null inside deletes the key; anything else replaces).
/// </summary>
internal sealed class SpawnerState
{
    private readonly Dictionary<string, TraitValue> _traits;

    private SpawnerState(Dictionary<string, TraitValue> traits) => _traits = traits;

    public static SpawnerState From(Dictionary<string, TraitValue> spawner, Dictionary<string, TraitValue> kubeSpawner)
    {
        var traits = new Dictionary<string, TraitValue>(spawner, StringComparer.Ordinal);
        foreach (var (k, v) in kubeSpawner)
        {
            traits[k] = v;
        }
        return new SpawnerState(traits.ToDictionary(kv => kv.Key, kv => kv.Value with { Value = ValuesTree.Clone(kv.Value.Value) }, StringComparer.Ordinal));
    }

    public SpawnerState Clone() => new(_traits.ToDictionary(kv => kv.Key, kv => kv.Value with { Value = ValuesTree.Clone(kv.Value.Value) }, StringComparer.Ordinal));

    public IReadOnlyDictionary<string, TraitValue> Traits => _traits;

    public object? this[string trait] => _traits.TryGetValue(trait, out var s) ? s.Value : null;

    public TraitValue? Get(string trait) => _traits.GetValueOrDefault(trait);

    public string SourceOf(string trait) => _traits.TryGetValue(trait, out var s) ? s.Source : $"KubeSpawner.{trait} (default)";

    /// <summary>
    /// Applies one kubespawner_override. A name KubeSpawner has no trait for is reported (KubeSpawner
    /// ignores it silently) unless its value is a map, which fails the spawn; a value of the wrong
    /// type fails it too (traitlets validates on assignment).
    /// </summary>
    public void ApplyOverride(OrderedDictionary<string, object?> overrides, string source, KubeSpawnerVersion version, List<NotApplied> notApplied)
    {
        foreach (var (name, value) in overrides)
        {
            var key = $"{source}.{name}";
            var trait = KubeSpawnerTraits.Canonical(name, version);
            if (trait is null)
            {
                var closest = Closest.To(name, KubeSpawnerTraits.Names);
                if (value is OrderedDictionary<string, object?>)
                {
                    throw new ValuesException(
                        $"{key}: KubeSpawner has no setting '{name}'{(closest is null ? "" : $" (did you mean '{closest}'?)")}, and with a map as its value the spawn fails (AttributeError in _apply_overrides)",
                        "kubespawner_override takes KubeSpawner's snake_case trait names: " + (closest ?? "see https://jupyterhub-kubespawner.readthedocs.io/en/latest/spawner.html"));
                }
                notApplied.Add(new NotApplied(key,
                    $"not a KubeSpawner setting: KubeSpawner ignores it silently{(closest is null ? "" : $"; did you mean '{closest}'?")}"));
                continue;
            }
            if (KubeSpawnerTraits.Mismatch(trait, value, version) is { } expected)
            {
                throw new ValuesException(
                    $"{key} is {ValuesTree.Describe(value)}; KubeSpawner's {trait} takes {expected} (the spawn fails with a TraitError)",
                    $"write {trait} as {expected}");
            }
            if (value is OrderedDictionary<string, object?> dict && this[trait] is OrderedDictionary<string, object?> current)
            {
                var merged = ValuesTree.CloneMap(current);
                RecursiveUpdate(merged, dict);
                var before = _traits[trait];
                _traits[trait] = new TraitValue(merged, key, true)
                {
                    KeySources = merged.Keys.ToDictionary(k => k, k => dict.ContainsKey(k) ? $"{key}.{k}" : before.SourceOf(k), StringComparer.Ordinal),
                };
            }
            else
            {
                _traits[trait] = new TraitValue(ValuesTree.Clone(value), key, true);
            }
        }
    }

    /// <summary>kubespawner/utils.py recursive_update: maps merge, null deletes, anything else replaces.</summary>
    internal static void RecursiveUpdate(OrderedDictionary<string, object?> target, OrderedDictionary<string, object?> changes)
    {
        foreach (var (k, v) in changes)
        {
            if (v is OrderedDictionary<string, object?> sub)
            {
                if (target.GetValueOrDefault(k) is not OrderedDictionary<string, object?> inner)
                {
                    inner = ValuesTree.NewMap();
                    target[k] = inner;
                }
                RecursiveUpdate(inner, sub);
            }
            else if (v is null)
            {
                target.Remove(k);
            }
            else
            {
                target[k] = ValuesTree.Clone(v);
            }
        }
    }
}
