using System.Globalization;
using System.Text.RegularExpressions;
using KernelRegression.Matrix;

namespace KernelRegression.Deployments;

/// <summary>What a spawn's traits become on Docker: the launch, the image, and everything that could not apply.</summary>
internal sealed record Translation(
    LaunchProfile Launch,
    ImageChoice Image,
    IReadOnlyList<ImageChoice> InitImages,
    IReadOnlyList<NotApplied> NotApplied,
    IReadOnlyList<string> Notes,
    IReadOnlyDictionary<string, string> Sources);

/// <summary>Everything a translation needs besides the traits.</summary>
internal sealed record TranslationContext(
    Z2jhChart Chart,
    KubeSpawnerVersion KubeSpawner,
    ImageMap Images,
    IReadOnlyDictionary<string, string> VolumeFiles,
    IReadOnlyDictionary<string, IReadOnlyDictionary<string, string>> VolumeFileContents,
    OrderedDictionary<string, object?> Singleuser);

/// <summary>
/// KubeSpawner's get_pod_manifest and make_pod (kubespawner/spawner.py, objects.py at 6.2.0/7.0.0),
/// done for a container on Docker: cmd + args into the container's args (or its command before
/// kubespawner PR 38), the security contexts (container over pod; extra_container_config.securityContext
/// replaces the container's whole), the environment in KubeSpawner's order, volumes and mounts
/// (home, extraFiles, emptyDir, configMap/secret with given files), lifecycle hooks, init containers,
/// extra_container_config, extra_pod_config. Whatever has no Docker meaning becomes a NotApplied.
/// </summary>
internal sealed partial class PodTranslation
{
    private readonly SpawnerState _s;
    private readonly TranslationContext _ctx;
    private readonly List<NotApplied> _notApplied = [];
    private readonly List<string> _notes = [];
    private readonly Dictionary<string, string> _sources = new(StringComparer.Ordinal);

    private PodTranslation(SpawnerState state, TranslationContext ctx) => (_s, _ctx) = (state, ctx);

    /// <summary>Traits that shape only a Kubernetes object or the hub, and why they do nothing on docker.</summary>
    private static readonly Dictionary<string, string> NoDockerMeaning = new(StringComparer.Ordinal)
    {
        ["node_selector"] = "schedules the pod on labelled nodes; docker runs it on this machine",
        ["tolerations"] = "lets the pod onto tainted nodes; docker has no nodes to taint",
        ["node_affinity_required"] = "node affinity is scheduling on a cluster; docker has one machine",
        ["node_affinity_preferred"] = "node affinity is scheduling on a cluster; docker has one machine",
        ["pod_affinity_required"] = "pod affinity is scheduling on a cluster; docker has one machine",
        ["pod_affinity_preferred"] = "pod affinity is scheduling on a cluster; docker has one machine",
        ["pod_anti_affinity_required"] = "pod anti-affinity is scheduling on a cluster; docker has one machine",
        ["pod_anti_affinity_preferred"] = "pod anti-affinity is scheduling on a cluster; docker has one machine",
        ["scheduler_name"] = "a Kubernetes scheduler; docker has none",
        ["priority_class_name"] = "pod priority and preemption on a cluster",
        ["service_account"] = "a Kubernetes service account (an API token in the pod); docker has no Kubernetes API",
        ["automount_service_account_token"] = "a Kubernetes API token in the pod; docker has no Kubernetes API",
        ["image_pull_secrets"] = "registry credentials; images here are on this machine, none is pulled",
        ["image_pull_policy"] = "when the kubelet pulls; images here are on this machine, none is pulled",
        ["extra_containers"] = "sidecar containers are not started on docker",
        ["extra_resource_limits"] = "extended resources (GPUs …) are not given to containers on docker",
        ["extra_resource_guarantees"] = "extended resources (GPUs …) are not given to containers on docker",
        ["storage_class"] = "a cluster's storage class; a docker volume has none",
        ["storage_capacity"] = "a claim's size; a docker volume has no size",
        ["storage_access_modes"] = "a claim's access modes; a docker volume has none",
        ["storage_selector"] = "a claim's volume selector; docker has no claims",
        ["storage_extra_labels"] = "labels of a claim; docker has no claims",
        ["storage_extra_annotations"] = "annotations of a claim; docker has no claims",
        ["storage_pvc_ensure"] = "creates the claim; the docker tier makes a volume per user itself",
        ["pvc_name_template"] = "the claim's name; the docker tier names its volumes itself",
        ["extra_annotations"] = "pod annotations; a container has none",
        ["supplemental_gids"] = "supplementary groups are not carried by the launch (fs_gid is)",
        ["privileged"] = "the suite does not start privileged student containers",
        ["pod_name_template"] = "the pod's name; the docker tier names its containers itself",
        ["dns_name_template"] = "the pod's DNS name on a cluster",
        ["namespace"] = "a Kubernetes namespace",
        ["enable_user_namespaces"] = "a Kubernetes namespace per user",
        ["user_namespace_template"] = "a Kubernetes namespace per user",
        ["user_namespace_labels"] = "a Kubernetes namespace per user",
        ["user_namespace_annotations"] = "a Kubernetes namespace per user",
        ["services_enabled"] = "a Kubernetes Service per server",
        ["common_labels"] = "labels of Kubernetes objects",
        ["component_label"] = "labels of Kubernetes objects",
        ["start_timeout"] = "the hub's wait for the server; the suite's own deadlines apply",
        ["http_timeout"] = "the hub's wait for the server; the suite's own deadlines apply",
        ["poll_interval"] = "how often the hub polls the server",
        ["delete_stopped_pods"] = "the lifecycle of Kubernetes pods",
        ["delete_grace_period"] = "the lifecycle of Kubernetes pods",
        ["delete_pvc"] = "the lifecycle of claims",
        ["remember_pvc_name"] = "the lifecycle of claims",
        ["handle_legacy_names"] = "names of Kubernetes objects from KubeSpawner 6",
        ["slug_scheme"] = "how KubeSpawner escapes names in templates; the docker tier names its containers itself",
        ["port"] = "the docker tier's servers listen on 8888, KubeSpawner's default",
        ["ip"] = "the docker tier's servers listen on 0.0.0.0, KubeSpawner's default",
        ["env_keep"] = "variables passed from the hub's own environment",
        ["events_enabled"] = "Kubernetes events in the spawn progress",
    };

    /// <summary>Traits the translation reads (so no generic "not carried" line for them).</summary>
    private static readonly HashSet<string> Read = new(StringComparer.Ordinal)
    {
        "image", "cmd", "args", "working_dir", "uid", "gid", "fs_gid", "allow_privilege_escalation", "container_security_context",
        "pod_security_context", "environment", "mem_limit", "mem_guarantee", "cpu_limit", "cpu_guarantee", "volumes", "volume_mounts",
        "lifecycle_hooks", "init_containers", "extra_container_config", "extra_pod_config", "default_url", "extra_labels",
        "profile_list", "notebook_dir", "disable_user_config", "debug",
    };

    public static Translation Of(SpawnerState state, TranslationContext ctx) => new PodTranslation(state, ctx).Run();

    private Translation Run()
    {
        var imageRef = _s["image"] as string;
        if (string.IsNullOrEmpty(imageRef))
        {
            throw new ValuesException("no single-user image: neither singleuser.image.name nor KubeSpawner.image is set", "set singleuser.image.name and singleuser.image.tag");
        }
        var image = _ctx.Images.Resolve(imageRef);
        _sources["image"] = _s.SourceOf("image");
        CheckTemplates();

        foreach (var (trait, setting) in _s.Traits.Where(t => t.Value.ByOperator && !Read.Contains(t.Key)).OrderBy(t => t.Key, StringComparer.Ordinal))
        {
            if (ValuesTree.IsEmpty(setting.Value) || setting.Value is false)
            {
                continue;
            }
            if (trait == "image_pull_policy" && setting.Value is "IfNotPresent" or "Never")
            {
                continue;
            }
            NotApply(setting.Source, NoDockerMeaning.GetValueOrDefault(trait, "a KubeSpawner setting the launch on docker does not carry"));
        }

        var (command, args) = Command();
        var csc = ContainerSecurityContext();
        var psc = PodSecurityContext();
        // Filled when the spawner is made: a profile's override is applied later and stays as written.
        var workingDir = FromOverride("working_dir") ? Literal(_s["working_dir"] as string) : _s["working_dir"] as string;
        if (workingDir is not null)
        {
            _sources["working_dir"] = _s.SourceOf("working_dir");
        }
        var lifecycle = ValuesTree.AsMap(_s["lifecycle_hooks"]);
        var lifecycleSource = _s.SourceOf("lifecycle_hooks");
        var volumes = SortedValues(_s["volumes"]);
        var mounts = SortedValues(_s["volume_mounts"]);
        var mountsSource = _s.SourceOf("volume_mounts");
        var env = Environment(imageRef);

        (string? MemLimit, string? MemGuarantee, double? CpuLimit, double? CpuGuarantee, string Source)? resources = null;
        Dictionary<string, string>? replacedEnv = null;
        if (ValuesTree.AsMap(_s["extra_container_config"]) is { Count: > 0 } ecc)
        {
            var source = _s.SourceOf("extra_container_config");
            foreach (var (field, value) in ecc)
            {
                var key = $"{source}.{field}";
                switch (Snake(field))
                {
                    case "command":
                        command = Strings(value, key) is { Count: > 0 } c ? c : null; // [] is no command, as in Kubernetes
                        _sources["command"] = key;
                        break;
                    case "args":
                        args = Strings(value, key) is { Count: > 0 } a ? a : null;
                        _sources["args"] = key;
                        break;
                    case "working_dir":
                        workingDir = Literal(value as string); // extra_container_config is not formatted
                        _sources["working_dir"] = key;
                        break;
                    case "security_context":
                        csc = ValuesTree.AsMap(value) ?? ValuesTree.NewMap();
                        _cscSources.Clear();
                        foreach (var k in csc.Keys)
                        {
                            _cscSources[k] = $"{key}.{k}";
                        }
                        _notes.Add($"{key} replaces the container's whole security context (uid, gid and allow_privilege_escalation from other settings are dropped)");
                        break;
                    case "lifecycle":
                        lifecycle = ValuesTree.AsMap(value);
                        lifecycleSource = key;
                        break;
                    case "volume_mounts":
                        mounts = ValuesTree.AsList(value) ?? [];
                        mountsSource = key;
                        break;
                    case "image":
                        if (value is string other)
                        {
                            image = _ctx.Images.Resolve(other);
                            _sources["image"] = key;
                        }
                        break;
                    case "env":
                        // update_k8s_model sets the container's whole env list: JupyterHub's variables go too
                        // (jupyterhub/kubespawner#306), so on the cluster the server cannot reach the hub.
                        replacedEnv = ContainerEnv(value, key);
                        _sources["env"] = key;
                        _notes.Add($"{key} replaces the container's whole environment: JupyterHub's variables (its API token and URLs, MEM_LIMIT …) are not set, as on KubeSpawner (jupyterhub/kubespawner#306)");
                        break;
                    case "resources":
                        resources = Resources(value, key);
                        break;
                    case "name" or "ports" or "image_pull_policy" or "readiness_probe" or "liveness_probe" or "startup_probe"
                        or "env_from" or "stdin" or "stdin_once" or "tty" or "termination_message_path" or "termination_message_policy"
                        or "volume_devices" or "resize_policy" or "restart_policy":
                        NotApply(key, "a container field the launch on docker does not carry");
                        break;
                    default:
                        throw new ValuesException($"{key}: '{field}' is not a field of a Kubernetes container; KubeSpawner fails the spawn (update_k8s_model: not modeled by V1Container)",
                            "use a V1Container field: command, args, workingDir, securityContext, lifecycle, volumeMounts, …");
                }
            }
        }

        var init = false;
        if (ValuesTree.AsMap(_s["extra_pod_config"]) is { Count: > 0 } epc)
        {
            var source = _s.SourceOf("extra_pod_config");
            foreach (var (field, value) in epc)
            {
                var key = $"{source}.{field}";
                if (Snake(field) == "security_context")
                {
                    // update_k8s_model sets the pod's whole securityContext: fs_gid and supplemental_gids go.
                    psc = ValuesTree.AsMap(value) ?? ValuesTree.NewMap();
                    CamelCaseOnly(psc, key);
                    _pscSources.Clear();
                    foreach (var k in psc.Keys)
                    {
                        _pscSources[k] = $"{key}.{k}";
                    }
                    _notes.Add($"{key} replaces the pod's whole security context (fsGroup and supplementalGroups from other settings are dropped)");
                }
                else if (Snake(field) == "share_process_namespace")
                {
                    init = value is true;
                    if (init)
                    {
                        _sources["init"] = key;
                        _notes.Add($"{key}: on docker an init process is PID 1 (docker --init), like the pause container of a pod that shares its process namespace");
                    }
                }
                else
                {
                    NotApply(key, "a pod field the launch on docker does not carry");
                }
            }
        }

        var uid = Int(csc.GetValueOrDefault("runAsUser")) ?? Int(psc.GetValueOrDefault("runAsUser"));
        var gid = Int(csc.GetValueOrDefault("runAsGroup")) ?? Int(psc.GetValueOrDefault("runAsGroup"));
        var fsGid = Int(psc.GetValueOrDefault("fsGroup"));
        var readOnly = csc.GetValueOrDefault("readOnlyRootFilesystem") is true;
        var ape = csc.GetValueOrDefault("allowPrivilegeEscalation") as bool?;
        Source("uid", _cscSources.GetValueOrDefault("runAsUser") ?? (psc.ContainsKey("runAsUser") ? _pscSources["runAsUser"] : null));
        Source("gid", _cscSources.GetValueOrDefault("runAsGroup") ?? (psc.ContainsKey("runAsGroup") ? _pscSources["runAsGroup"] : null));
        Source("fs_gid", _pscSources.GetValueOrDefault("fsGroup"));
        Source("read_only_root", readOnly ? _cscSources["readOnlyRootFilesystem"] : null);
        Source("allow_privilege_escalation", ape is null ? null : _cscSources["allowPrivilegeEscalation"]);
        foreach (var k in csc.Keys.Where(k => k is not ("runAsUser" or "runAsGroup" or "readOnlyRootFilesystem" or "allowPrivilegeEscalation")))
        {
            if (k == "privileged" && csc[k] is not true)
            {
                continue;
            }
            NotApply(_cscSources[k], "a container security setting the launch on docker does not carry");
        }
        foreach (var k in psc.Keys.Where(k => k is not ("runAsUser" or "runAsGroup" or "fsGroup")))
        {
            NotApply(_pscSources[k], "a pod security setting the launch on docker does not carry");
        }

        var (storage, launchMounts, files, volumeUses) = Volumes(volumes, mounts, mountsSource);
        var postStart = Lifecycle(lifecycle, lifecycleSource);
        var (initContainers, initImages) = InitContainers(imageRef, volumeUses, storage);
        var mounted = launchMounts.Concat(initContainers.SelectMany(c => c.VolumeMounts)).Select(m => m.Name).ToHashSet(StringComparer.Ordinal);
        var launchVolumes = volumeUses.Values.Where(u => u.Launch is not null && mounted.Contains(u.Launch.Name)).Select(u => u.Launch!).ToList();
        foreach (var v in launchVolumes)
        {
            _sources[$"volumes.{v.Name}"] = VolumeKey(v.Name);
        }

        var hubLimits = new HubLimits(Bytes("mem_limit"), Bytes("mem_guarantee"), Cpus("cpu_limit"), Cpus("cpu_guarantee"));
        var limits = resources is { } r ? new HubLimits(r.MemLimit, r.MemGuarantee, r.CpuLimit, r.CpuGuarantee) : hubLimits;
        if (resources is { } replaced)
        {
            foreach (var field in new[] { "mem_limit", "mem_guarantee", "cpu_limit", "cpu_guarantee" })
            {
                _sources[field] = replaced.Source;
            }
        }
        RequestsWithinLimits(limits, resources?.Source);

        var launch = new LaunchProfile
        {
            Command = command,
            Args = args,
            Env = replacedEnv ?? env,
            EnvReplacesHub = replacedEnv is not null,
            Uid = uid,
            Gid = gid,
            FsGid = fsGid,
            WorkingDir = workingDir,
            Init = init,
            MemLimit = limits.MemLimit,
            MemGuarantee = limits.MemGuarantee,
            CpuLimit = limits.CpuLimit,
            CpuGuarantee = limits.CpuGuarantee,
            HubLimits = limits == hubLimits ? null : hubLimits,
            Templates = LaunchTemplates(),
            ReadOnlyRoot = readOnly,
            AllowPrivilegeEscalation = ape,
            Storage = storage,
            Volumes = launchVolumes,
            VolumeMounts = launchMounts,
            ExtraFiles = files,
            PostStart = postStart,
            InitContainers = initContainers,
            // The chart sets c.Spawner.default_url only from singleuser.defaultUrl: without it there is none.
            DefaultUrl = _s["default_url"] is { } url ? ValuesTree.Scalar(url) : "",
            Labels = Labels(),
        };
        if (launch.DefaultUrl.Length > 0)
        {
            _sources["default_url"] = _s.SourceOf("default_url");
        }
        return new Translation(launch, image, initImages, _notApplied, _notes, _sources);
    }

    /// <summary>
    /// extra_container_config.env: a list of V1EnvVar, in order, not formatted by KubeSpawner (its braces
    /// kept literal); valueFrom reads the cluster and is not applied.
    /// </summary>
    private Dictionary<string, string> ContainerEnv(object? value, string key)
    {
        var env = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (item, i) in (ValuesTree.AsList(value) ?? throw new ValuesException($"{key} must be a list of {{name, value}} (a container's env); KubeSpawner fails the spawn otherwise",
            "write env as a list: - name: X\n  value: \"1\"")).Select((item, i) => (item, i)))
        {
            var at = $"{key}[{i}]";
            if (ValuesTree.AsMap(item) is not { } entry || entry.GetValueOrDefault("name") is not string name || name.Length == 0)
            {
                throw new ValuesException($"{at} has no name: a Kubernetes EnvVar needs one; the API refuses the pod", "give each entry a name");
            }
            if (entry.ContainsKey("valueFrom") || entry.ContainsKey("value_from"))
            {
                NotApply($"{at}.valueFrom", "valueFrom reads a Secret, ConfigMap or pod field of the cluster");
                continue;
            }
            env[name] = Literal(EnvText(entry.GetValueOrDefault("value"), $"{at}.value", formatted: false) ?? "")!;
        }
        return env;
    }

    private void NotApply(string key, string why)
    {
        if (!_notApplied.Any(n => n.Key == key))
        {
            _notApplied.Add(new NotApplied(key, why));
        }
    }

    // ---------------------------------------------------------------- helpers
    /// <summary>KubeSpawner 7 takes a dict for list traits: its values, sorted by key.</summary>
    private static List<object?> SortedValues(object? value) => value switch
    {
        List<object?> l => l,
        OrderedDictionary<string, object?> m => m.OrderBy(kv => kv.Key, StringComparer.Ordinal).Select(kv => kv.Value).ToList(),
        _ => [],
    };

    private static List<string> Strings(object? value, string key) => value switch
    {
        List<object?> l when l.All(x => x is not (List<object?> or OrderedDictionary<string, object?>)) => l.Select(ValuesTree.Scalar).ToList(),
        string s => [s],
        _ => throw new ValuesException($"{key} is {ValuesTree.Describe(value)}, not a list of strings", "write it as a list: [program, arg, …]"),
    };

    private static int? Int(object? v) => v switch
    {
        long l => (int)l,
        double d when Math.Floor(d) == d => (int)d,
        _ => null,
    };

    private static string Snake(string name) => SnakeBoundary().Replace(name, "_$1").ToLowerInvariant();

    private static string Camel(string snake)
    {
        var parts = snake.Split('_');
        return parts[0] + string.Concat(parts.Skip(1).Select(p => p.Length == 0 ? "" : char.ToUpperInvariant(p[0]) + p[1..]));
    }

    [GeneratedRegex(@"(?<=[a-z0-9])([A-Z])")]
    private static partial Regex SnakeBoundary();
}
