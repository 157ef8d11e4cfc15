namespace KernelRegression.Deployments;

/// <summary>One cell's choice: a profile and, for each of its options, a choice.</summary>
internal sealed record ProfileChoice(
    string Slug,
    string? DisplayName,
    bool IsDefault,
    OrderedDictionary<string, object?>? Override,
    string OverrideSource,
    IReadOnlyList<(string Option, string Choice, OrderedDictionary<string, object?>? Override, string Source)> Choices);

/// <summary>
/// KubeSpawner's profile_list as cells (kubespawner/spawner.py _get_initialized_profile_list,
/// _load_profile; the same in 6.2.0 and 7.0.0): a missing slug is the display name slugified; the
/// default profile is the first with default: true, else the first; each option's default choice
/// likewise. Option choices combine into cells when there are few; otherwise the defaults run.
/// </summary>
internal static class ProfileList
{
    public static IReadOnlyList<ProfileChoice> Expand(object? profileList, string source, int maxChoices, List<string> notes, List<ValuesRefusal> refused)
    {
        var profiles = Profiles(profileList, source);
        var defaultIndex = Math.Max(0, profiles.FindIndex(p => p.Map.GetValueOrDefault("default") is true));

        var cells = new List<ProfileChoice>();
        foreach (var ((slug, p), i) in profiles.Select((p, i) => (p, i)))
        {
            var at = $"{source}[{slug}]";
            var ovr = Override(p, at);
            List<(string Option, List<(string Choice, OrderedDictionary<string, object?>? Override, bool Default)> Choices)>? options = [];
            foreach (var (option, value) in ValuesTree.AsMap(p.GetValueOrDefault("profile_options")) ?? [])
            {
                var o = ValuesTree.AsMap(value) ?? throw new ValuesException($"{at}.profile_options.{option} is {ValuesTree.Describe(value)}", "each option is a map with display_name and choices");
                var choices = ValuesTree.AsMap(o.GetValueOrDefault("choices"));
                if (ValuesTree.AsMap(o.GetValueOrDefault("unlisted_choice"))?.GetValueOrDefault("enabled") is true)
                {
                    notes.Add($"{at}.profile_options.{option}.unlisted_choice: a user's free text is not expanded into cells");
                }
                if (choices is not { Count: > 0 })
                {
                    // kubespawner/spawner.py _load_profile: no choice to default to without the user's text.
                    refused.Add(new ValuesRefusal($"{at}.profile_options.{option}",
                        $"no listed choice: without a user's text KubeSpawner raises ValueError('Unable to determine a default choice for {option}.') and the spawn fails"));
                    options = null;
                    break;
                }
                var list2 = new List<(string, OrderedDictionary<string, object?>?, bool)>();
                foreach (var (choice, cv) in choices)
                {
                    var c = ValuesTree.AsMap(cv) ?? ValuesTree.NewMap();
                    list2.Add((choice, ChoiceOverride(c, $"{at}.profile_options.{option}.choices.{choice}"), c.GetValueOrDefault("default") is true));
                }
                options.Add((option, list2));
            }
            if (options is null)
            {
                continue;
            }
            var combos = options.Aggregate(1L, (n, o) => n * o.Choices.Count);
            IEnumerable<IReadOnlyList<(string Option, string Choice, OrderedDictionary<string, object?>? Override, bool Default)>> picks;
            var defaults = options.Select(o =>
            {
                var d = o.Choices.FindIndex(c => c.Default);
                var c = o.Choices[Math.Max(0, d)];
                return (o.Option, c.Choice, c.Override, true);
            }).ToList();
            if (combos > maxChoices)
            {
                notes.Add($"{at}: its options combine into {combos} choices (more than {maxChoices}); only the default choices run ({string.Join(", ", defaults.Select(d => $"{d.Option}={d.Choice}"))})");
                picks = [defaults];
            }
            else
            {
                picks = options.Aggregate(
                    (IEnumerable<IReadOnlyList<(string, string, OrderedDictionary<string, object?>?, bool)>>)[[]],
                    (acc, o) => acc.SelectMany(prefix => o.Choices.Select(c =>
                        (IReadOnlyList<(string, string, OrderedDictionary<string, object?>?, bool)>)[.. prefix, (o.Option, c.Choice, c.Override, defaults.Any(d => d.Option == o.Option && d.Choice == c.Choice))])));
            }
            foreach (var pick in picks)
            {
                cells.Add(new ProfileChoice(
                    slug,
                    p.GetValueOrDefault("display_name") as string,
                    i == defaultIndex && pick.All(x => x.Default),
                    ovr,
                    $"{at}.kubespawner_override",
                    pick.Select(x => (x.Option, x.Choice, x.Override, $"{at}.profile_options.{x.Option}.choices.{x.Choice}.kubespawner_override")).ToList()));
            }
        }
        return cells;
    }

    /// <summary>
    /// One spawn's choice, as KubeSpawner's load_user_options makes it from user_options: the profile (or
    /// the default), each option's chosen choice, the user's text for an unlisted choice (its
    /// kubespawner_override formatted with {value}), or the default choice; what KubeSpawner raises on
    /// (an unknown profile or choice, text for an option that takes none, no default) is refused.
    /// </summary>
    public static ProfileChoice Choose(object? profileList, string source, string? slug,
        IReadOnlyDictionary<string, string> choices, IReadOnlyDictionary<string, string> unlisted)
    {
        var profiles = Profiles(profileList, source);
        var index = slug is null ? Math.Max(0, profiles.FindIndex(p => p.Map.GetValueOrDefault("default") is true)) : profiles.FindIndex(p => p.Slug == slug);
        if (index < 0)
        {
            throw new ValuesException($"{source}: no profile '{slug}' (KubeSpawner: ValueError No such profile)", $"choose one of {string.Join(", ", profiles.Select(p => p.Slug))}");
        }
        var (found, map) = profiles[index];
        var at = $"{source}[{found}]";
        var picked = new List<(string, string, OrderedDictionary<string, object?>?, string)>();
        foreach (var (option, value) in ValuesTree.AsMap(map.GetValueOrDefault("profile_options")) ?? [])
        {
            var o = ValuesTree.AsMap(value) ?? ValuesTree.NewMap();
            var listed = ValuesTree.AsMap(o.GetValueOrDefault("choices")) ?? ValuesTree.NewMap();
            var key = $"{at}.profile_options.{option}";
            if (unlisted.TryGetValue(option, out var text) && text.Length > 0)
            {
                var u = ValuesTree.AsMap(o.GetValueOrDefault("unlisted_choice"));
                if (u?.GetValueOrDefault("enabled") is not true)
                {
                    throw new ValuesException($"{key}: a user's text for an option without an enabled unlisted_choice (KubeSpawner: ValueError Received unlisted_choice for {option} without being enabled.)", "enable unlisted_choice, or choose a listed choice");
                }
                if (u.GetValueOrDefault("validation_regex") is string regex && !System.Text.RegularExpressions.Regex.IsMatch(text, "^(?:" + regex + ")"))
                {
                    throw new ValuesException($"{key}: '{text}' does not match its validation_regex (KubeSpawner: ValueError ... failed validation regex.)", "give text its validation_regex accepts");
                }
                var ovr = ValuesTree.AsMap(u.GetValueOrDefault("kubespawner_override")) ?? ValuesTree.NewMap();
                picked.Add((option, text, (OrderedDictionary<string, object?>)FormatValue(ovr, text)!, $"{key}.unlisted_choice.kubespawner_override"));
                continue;
            }
            string? choice = choices.GetValueOrDefault(option);
            if (choice is null)
            {
                choice = listed.FirstOrDefault(c => ValuesTree.AsMap(c.Value)?.GetValueOrDefault("default") is true).Key ?? listed.Keys.FirstOrDefault()
                    ?? throw new ValuesException($"{key} has no listed choice and no user's text: KubeSpawner raises ValueError('Unable to determine a default choice for {option}.')", "give the option a choice, or the user's text (an unlisted choice)");
            }
            if (!listed.TryGetValue(choice, out var cv))
            {
                throw new ValuesException($"{key}: no choice '{choice}' (KubeSpawner: KeyError '{choice}')", $"choose one of {string.Join(", ", listed.Keys)}");
            }
            picked.Add((option, choice, ChoiceOverride(ValuesTree.AsMap(cv) ?? ValuesTree.NewMap(), $"{key}.choices.{choice}"), $"{key}.choices.{choice}.kubespawner_override"));
        }
        return new ProfileChoice(found, map.GetValueOrDefault("display_name") as string, index == Math.Max(0, profiles.FindIndex(p => p.Map.GetValueOrDefault("default") is true)),
            Override(map, at), $"{at}.kubespawner_override", picked);
    }

    /// <summary>kubespawner/utils.py recursive_format(v, value=TEXT): strings (map keys too) formatted, a missing field left as written.</summary>
    private static object? FormatValue(object? v, string text) => v switch
    {
        string s => StrFormat.Render(s, new Dictionary<string, object>(StringComparer.Ordinal) { ["value"] = text }, missing: name => $"{{{name}}}"),
        List<object?> l => l.Select(x => FormatValue(x, text)).ToList(),
        OrderedDictionary<string, object?> m => new OrderedDictionary<string, object?>(m.Select(kv => KeyValuePair.Create((string)FormatValue(kv.Key, text)!, FormatValue(kv.Value, text))), StringComparer.Ordinal),
        _ => v,
    };

    private static OrderedDictionary<string, object?>? Override(OrderedDictionary<string, object?> profile, string at)
    {
        var ovr = profile.GetValueOrDefault("kubespawner_override");
        return ovr is null or OrderedDictionary<string, object?> ? ovr as OrderedDictionary<string, object?>
            : throw new ValuesException($"{at}.kubespawner_override is {ValuesTree.Describe(ovr)}, not a map of KubeSpawner settings", "write kubespawner_override: {mem_limit: 2G, …}");
    }

    private static OrderedDictionary<string, object?>? ChoiceOverride(OrderedDictionary<string, object?> choice, string at)
    {
        var co = choice.GetValueOrDefault("kubespawner_override");
        return co is null or OrderedDictionary<string, object?> ? co as OrderedDictionary<string, object?>
            : throw new ValuesException($"{at}.kubespawner_override is {ValuesTree.Describe(co)}, not a map", "write kubespawner_override: {…}");
    }

    private static List<(string Slug, OrderedDictionary<string, object?> Map)> Profiles(object? profileList, string source)
    {
        if (profileList is null || (profileList is List<object?> { Count: 0 }))
        {
            return [];
        }
        if (profileList is not List<object?> list)
        {
            throw new ValuesException($"{source} is {ValuesTree.Describe(profileList)}, not a list of profiles", "write profileList as a list: - display_name: …");
        }
        var profiles = new List<(string Slug, OrderedDictionary<string, object?> Map)>();
        foreach (var (item, i) in list.Select((p, i) => (p, i)))
        {
            var p = ValuesTree.AsMap(item) ?? throw new ValuesException($"{source}[{i}] is {ValuesTree.Describe(item)}, not a profile", "each profile is a map with display_name (and slug, kubespawner_override, profile_options)");
            var slug = p.GetValueOrDefault("slug") is { } s ? ValuesTree.Scalar(s)
                : p.GetValueOrDefault("display_name") is string name ? Slug.Of(name)
                : throw new ValuesException($"{source}[{i}] has neither slug nor display_name; KubeSpawner cannot name it", "give the profile a display_name");
            if (slug.Length == 0)
            {
                throw new ValuesException($"{source}[{i}]: the display name '{p.GetValueOrDefault("display_name")}' slugifies to nothing", "give the profile a slug");
            }
            if (profiles.Any(x => x.Slug == slug))
            {
                throw new ValuesException($"{source}: two profiles have the slug '{slug}'", "give one of them its own slug (users choose profiles by slug)");
            }
            profiles.Add((slug, p));
        }
        return profiles;
    }
}
