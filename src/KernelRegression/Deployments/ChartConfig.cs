using KernelRegression.Matrix;

namespace KernelRegression.Deployments;

/// <summary>
/// What the chart's hub config (jupyterhub/files/hub/jupyterhub_config.py, 3.3.8 and 4.2.0) makes
/// of the values, in its order: singleuser.* → c.KubeSpawner.* for every non-null key (defaults
/// included, so a hub.config.Spawner.X for those is lost), cmd and defaultUrl → c.Spawner.*, the
/// image, storage and extraFiles as volumes, extraVolumes appended; then hub.config.&lt;Class&gt;
/// replacing each trait whole. hub.extraConfig is Python: reported, never guessed.
/// </summary>
internal sealed class ChartConfig
{
    /// <summary>The chart's own extraFiles Secret: its volume becomes files, not a volume.</summary>
    public const string ExtraFilesSecret = "(z2jh singleuser extraFiles)";

    /// <summary>Marks the chart's block-cloud-metadata init container (cloudMetadata.blockWithIptables).</summary>
    public const string CloudMetadataMarker = "(z2jh cloudMetadata)";

    // (trait, values key under singleuser): the loop of set_config_if_not_none in jupyterhub_config.py.
    private static readonly (string Trait, string Key)[] Mapped =
    [
        ("pod_name_template", "podNameTemplate"), ("start_timeout", "startTimeout"), ("image_pull_policy", "image.pullPolicy"),
        ("events_enabled", "events"), ("extra_labels", "extraLabels"), ("extra_annotations", "extraAnnotations"), ("uid", "uid"),
        ("fs_gid", "fsGid"), ("service_account", "serviceAccountName"), ("storage_extra_labels", "storage.extraLabels"),
        ("node_selector", "nodeSelector"), ("node_affinity_required", "extraNodeAffinity.required"),
        ("node_affinity_preferred", "extraNodeAffinity.preferred"), ("pod_affinity_required", "extraPodAffinity.required"),
        ("pod_affinity_preferred", "extraPodAffinity.preferred"), ("pod_anti_affinity_required", "extraPodAntiAffinity.required"),
        ("pod_anti_affinity_preferred", "extraPodAntiAffinity.preferred"), ("lifecycle_hooks", "lifecycleHooks"),
        ("init_containers", "initContainers"), ("extra_containers", "extraContainers"), ("mem_limit", "memory.limit"),
        ("mem_guarantee", "memory.guarantee"), ("cpu_limit", "cpu.limit"), ("cpu_guarantee", "cpu.guarantee"),
        ("extra_resource_limits", "extraResource.limits"), ("extra_resource_guarantees", "extraResource.guarantees"),
        ("environment", "extraEnv"), ("profile_list", "profileList"), ("extra_pod_config", "extraPodConfig"),
    ];

    public Dictionary<string, TraitValue> Spawner { get; } = new(StringComparer.Ordinal);
    public Dictionary<string, TraitValue> KubeSpawner { get; } = new(StringComparer.Ordinal);

    /// <param name="section">The z2jh section with the chart's singleuser defaults coalesced in.</param>
    /// <param name="user">The z2jh section as the operator wrote it (merged files, no defaults).</param>
    /// <param name="notApplied">Receives what applies to no cell on docker (hub.extraConfig, …).</param>
    public static ChartConfig Build(OrderedDictionary<string, object?> section, OrderedDictionary<string, object?> user, Z2jhChart chart,
        KubeSpawnerVersion version, List<NotApplied> notApplied)
    {
        var c = new ChartConfig();
        var su = ValuesTree.AsMap(section.GetValueOrDefault("singleuser")) ?? ValuesTree.NewMap();
        bool ByOperator(string key) => ValuesTree.Has(user, key);
        void Set(Dictionary<string, TraitValue> cls, string trait, string key, object? value) =>
            cls[trait] = new TraitValue(value, key, ByOperator(key));

        foreach (var (trait, key) in Mapped)
        {
            if (ValuesTree.At(su, key) is { } v)
            {
                Set(c.KubeSpawner, trait, "singleuser." + key, v);
            }
        }
        if (ValuesTree.At(su, "image.name") is string name && name.Length > 0)
        {
            var tag = ValuesTree.At(su, "image.tag");
            Set(c.KubeSpawner, "image", "singleuser.image", tag is null || ValuesTree.Scalar(tag).Length == 0 ? name : $"{name}:{ValuesTree.Scalar(tag)}");
        }
        // Always set, None included: None means "leave it to Kubernetes".
        Set(c.KubeSpawner, "allow_privilege_escalation", "singleuser.allowPrivilegeEscalation", su.GetValueOrDefault("allowPrivilegeEscalation"));

        var pullSecrets = new List<object?>();
        if (ValuesTree.At(section, "imagePullSecret.create") is true && ValuesTree.At(section, "imagePullSecret.automaticReferenceInjection") is not false)
        {
            pullSecrets.Add("image-pull-secret");
        }
        pullSecrets.AddRange(ValuesTree.AsList(section.GetValueOrDefault("imagePullSecrets")) ?? []);
        pullSecrets.AddRange(ValuesTree.AsList(ValuesTree.At(su, "image.pullSecrets")) ?? []);
        if (pullSecrets.Count > 0)
        {
            c.KubeSpawner["image_pull_secrets"] = new TraitValue(pullSecrets, "imagePullSecrets / singleuser.image.pullSecrets", true);
        }
        var tolerations = (ValuesTree.AsList(ValuesTree.At(section, "scheduling.userPods.tolerations")) ?? []).Concat(ValuesTree.AsList(su.GetValueOrDefault("extraTolerations")) ?? []).ToList();
        if (tolerations.Count > 0)
        {
            c.KubeSpawner["tolerations"] = new TraitValue(tolerations, ByOperator("singleuser.extraTolerations") ? "singleuser.extraTolerations" : "scheduling.userPods.tolerations", true);
        }
        // The chart's scheduling defaults (user scheduler, node-purpose affinity) shape every pod too.
        foreach (var key in new[] { "scheduling.userPods.nodeAffinity.matchNodePurpose", "scheduling.userScheduler.enabled", "scheduling.podPriority.enabled" })
        {
            if (ValuesTree.At(section, key) is { } v && v is not false && v is not "ignore")
            {
                notApplied.Add(new NotApplied(key, "places user pods on a cluster's nodes; docker runs them on this machine"));
            }
        }

        Storage(c, su, chart, ByOperator);
        ExtraFiles(c, su);
        var volumes = (List<object?>)(c.KubeSpawner.GetValueOrDefault("volumes")?.Value ?? new List<object?>());
        var mounts = (List<object?>)(c.KubeSpawner.GetValueOrDefault("volume_mounts")?.Value ?? new List<object?>());
        volumes.AddRange(ValuesTree.AsList(ValuesTree.At(su, "storage.extraVolumes")) ?? []);
        mounts.AddRange(ValuesTree.AsList(ValuesTree.At(su, "storage.extraVolumeMounts")) ?? []);
        c.KubeSpawner["volumes"] = new TraitValue(volumes, "singleuser.storage", ByOperator("singleuser.storage"));
        c.KubeSpawner["volume_mounts"] = new TraitValue(mounts, "singleuser.storage", ByOperator("singleuser.storage"));

        // "respect explicit null command": a user's null deleted the key, so c.Spawner.cmd stays unset.
        if (su.TryGetValue("cmd", out var cmd))
        {
            Set(c.Spawner, "cmd", "singleuser.cmd", cmd);
        }
        if (su.GetValueOrDefault("defaultUrl") is { } url)
        {
            Set(c.Spawner, "default_url", "singleuser.defaultUrl", url);
        }
        if (ValuesTree.At(su, "cloudMetadata.blockWithIptables") is true)
        {
            var init = ValuesTree.AsList(c.KubeSpawner.GetValueOrDefault("init_containers")?.Value) ?? [];
            // The chart's own V1Container (jupyterhub_config.py), marked so the translation names its key.
            var block = ValuesTree.NewMap();
            block["name"] = "block-cloud-metadata";
            block["image"] = $"{ValuesTree.Scalar(ValuesTree.At(su, "networkTools.image.name"))}:{ValuesTree.Scalar(ValuesTree.At(su, "networkTools.image.tag"))}";
            block["command"] = new List<object?> { "iptables", "--append", "OUTPUT", "--protocol", "tcp", "--destination",
                ValuesTree.Scalar(ValuesTree.At(su, "cloudMetadata.ip")), "--destination-port", "80", "--jump", "DROP" };
            block["securityContext"] = new OrderedDictionary<string, object?>(StringComparer.Ordinal)
            {
                ["privileged"] = true, ["runAsUser"] = 0L,
                ["capabilities"] = new OrderedDictionary<string, object?>(StringComparer.Ordinal) { ["add"] = new List<object?> { "NET_ADMIN" } },
            };
            block["resources"] = ValuesTree.Clone(ValuesTree.At(su, "networkTools.resources")) ?? ValuesTree.NewMap();
            block[CloudMetadataMarker] = true;
            init.Add(block);
            c.KubeSpawner["init_containers"] = c.KubeSpawner.TryGetValue("init_containers", out var s) ? s with { Value = init } : new TraitValue(init, "singleuser.initContainers", false);
        }
        if (ValuesTree.At(section, "debug.enabled") is true)
        {
            Set(c.Spawner, "debug", "debug.enabled", true);
        }

        // The hub assigns these to typed traits at start: a value the schema lets through but the
        // trait refuses (extraEnv as a list) stops the hub. Sizes get their own message later.
        foreach (var (trait, setting) in c.KubeSpawner.Concat(c.Spawner).Where(kv => kv.Value.Source.StartsWith("singleuser.", StringComparison.Ordinal)))
        {
            if (trait is not ("mem_limit" or "mem_guarantee") && KubeSpawnerTraits.Mismatch(trait, setting.Value, version) is { } expected)
            {
                throw new ValuesException($"{setting.Source} is {ValuesTree.Describe(setting.Value)}; the chart gives it to KubeSpawner's {trait}, which takes {expected} (the hub does not start: TraitError)",
                    $"write {setting.Source} as {expected}");
            }
        }
        HubConfig(c, section, version, notApplied);
        return c;
    }

    private static void Storage(ChartConfig c, OrderedDictionary<string, object?> su, Z2jhChart chart, Func<string, bool> byOperator)
    {
        var type = ValuesTree.Scalar(ValuesTree.At(su, "storage.type"));
        var home = ValuesTree.Scalar(ValuesTree.At(su, "storage.homeMountPath"));
        if (type == "dynamic")
        {
            var volumeName = ValuesTree.Scalar(ValuesTree.At(su, "storage.dynamic.volumeNameTemplate"));
            var pvcTemplate = ValuesTree.At(su, "storage.dynamic.pvcNameTemplate") as string;
            foreach (var (trait, key) in new[] { ("storage_class", "storage.dynamic.storageClass"), ("storage_access_modes", "storage.dynamic.storageAccessModes"), ("storage_capacity", "storage.capacity") })
            {
                if (ValuesTree.At(su, key) is { } v)
                {
                    c.KubeSpawner[trait] = new TraitValue(v, "singleuser." + key, byOperator("singleuser." + key));
                }
            }
            if (pvcTemplate is not null)
            {
                c.KubeSpawner["pvc_name_template"] = new TraitValue(pvcTemplate, "singleuser.storage.dynamic.pvcNameTemplate", byOperator("singleuser.storage.dynamic.pvcNameTemplate"));
            }
            var claim = chart.Version == "3.3.8" ? pvcTemplate ?? "claim-{username}{servername}" : "{pvc_name}";
            var volume = ValuesTree.NewMap();
            volume["name"] = volumeName;
            volume["persistentVolumeClaim"] = new OrderedDictionary<string, object?>(StringComparer.Ordinal) { ["claimName"] = claim };
            var mount = ValuesTree.NewMap();
            mount["mountPath"] = home;
            mount["name"] = volumeName;
            if (chart.Version != "3.3.8" && ValuesTree.At(su, "storage.dynamic.subPath") is string sub)
            {
                mount["subPath"] = sub;
            }
            c.KubeSpawner["volumes"] = new TraitValue(new List<object?> { volume }, "singleuser.storage", false);
            c.KubeSpawner["volume_mounts"] = new TraitValue(new List<object?> { mount }, "singleuser.storage", false);
        }
        else if (type == "static")
        {
            var volume = ValuesTree.NewMap();
            volume["name"] = "home";
            volume["persistentVolumeClaim"] = new OrderedDictionary<string, object?>(StringComparer.Ordinal) { ["claimName"] = ValuesTree.At(su, "storage.static.pvcName") };
            var mount = ValuesTree.NewMap();
            mount["mountPath"] = home;
            mount["name"] = "home";
            mount["subPath"] = ValuesTree.At(su, "storage.static.subPath");
            c.KubeSpawner["volumes"] = new TraitValue(new List<object?> { volume }, "singleuser.storage", false);
            c.KubeSpawner["volume_mounts"] = new TraitValue(new List<object?> { mount }, "singleuser.storage", false);
        }
    }

    private static void ExtraFiles(ChartConfig c, OrderedDictionary<string, object?> su)
    {
        if (ValuesTree.AsMap(su.GetValueOrDefault("extraFiles")) is not { Count: > 0 } files)
        {
            return;
        }
        var items = new List<object?>();
        var volumes = (List<object?>)(c.KubeSpawner.GetValueOrDefault("volumes")?.Value ?? new List<object?>());
        var mounts = (List<object?>)(c.KubeSpawner.GetValueOrDefault("volume_mounts")?.Value ?? new List<object?>());
        foreach (var (key, details) in files)
        {
            var item = ValuesTree.NewMap();
            item["key"] = key;
            item["path"] = key;
            if (ValuesTree.AsMap(details)?.GetValueOrDefault("mode") is { } mode)
            {
                item["mode"] = mode;
            }
            items.Add(item);
            var mount = ValuesTree.NewMap();
            mount["mountPath"] = ValuesTree.At(ValuesTree.AsMap(details), "mountPath");
            mount["subPath"] = key;
            mount["name"] = "files";
            mounts.Add(mount);
        }
        var volume = ValuesTree.NewMap();
        volume["name"] = "files";
        volume["secret"] = new OrderedDictionary<string, object?>(StringComparer.Ordinal) { ["secretName"] = ExtraFilesSecret, ["items"] = items };
        volumes.Add(volume);
        c.KubeSpawner["volumes"] = new TraitValue(volumes, "singleuser.storage", false);
        c.KubeSpawner["volume_mounts"] = new TraitValue(mounts, "singleuser.storage", false);
    }

    private static void HubConfig(ChartConfig c, OrderedDictionary<string, object?> section, KubeSpawnerVersion version, List<NotApplied> notApplied)
    {
        var hub = ValuesTree.AsMap(section.GetValueOrDefault("hub"));
        foreach (var (key, _) in ValuesTree.AsMap(hub?.GetValueOrDefault("extraConfig")) ?? [])
        {
            notApplied.Add(new NotApplied($"hub.extraConfig.{key}", "Python the hub runs at start (hooks, callables, edits of the config); the docker tier's hub does not run it, and it cannot be read as settings"));
        }
        if (hub?.GetValueOrDefault("existingSecret") is string { Length: > 0 } secret)
        {
            notApplied.Add(new NotApplied("hub.existingSecret", $"the Secret {secret} deep-merges more values into the hub's at start; it lives in the cluster"));
        }
        foreach (var (cls, cfg) in ValuesTree.AsMap(hub?.GetValueOrDefault("config")) ?? [])
        {
            if (cls is not ("KubeSpawner" or "Spawner"))
            {
                if (cls.EndsWith("Spawner", StringComparison.Ordinal) || (cls == "JupyterHub" && ValuesTree.AsMap(cfg)?.ContainsKey("spawner_class") == true))
                {
                    notApplied.Add(new NotApplied(cls == "JupyterHub" ? "hub.config.JupyterHub.spawner_class" : $"hub.config.{cls}",
                        "another spawner's settings: the translation follows KubeSpawner, as the chart configures it"));
                }
                continue;
            }
            var target = cls == "KubeSpawner" ? c.KubeSpawner : c.Spawner;
            if (cfg is not OrderedDictionary<string, object?> traits)
            {
                throw new ValuesException($"hub.config.{cls} is {ValuesTree.Describe(cfg)}, not a map of settings", $"write hub.config.{cls}.TRAIT: VALUE");
            }
            foreach (var (name, value) in traits)
            {
                var key = $"hub.config.{cls}.{name}";
                var trait = KubeSpawnerTraits.Canonical(name, version);
                if (trait is null)
                {
                    var closest = Closest.To(name, KubeSpawnerTraits.Names);
                    notApplied.Add(new NotApplied(key, $"not a {cls} setting: the hub only warns (Config option not recognized){(closest is null ? "" : $"; did you mean '{closest}'?")}"));
                    continue;
                }
                if (KubeSpawnerTraits.Mismatch(trait, value, version) is { } expected)
                {
                    throw new ValuesException($"{key} is {ValuesTree.Describe(value)}; {cls}.{trait} takes {expected} (the hub does not start: TraitError)",
                        $"write {trait} as {expected}");
                }
                target[trait] = new TraitValue(value, key, true);
            }
        }
    }
}
