using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using YamlDotNet.Core;
using YamlDotNet.Serialization;
using YamlDotNet.Serialization.NamingConventions;

namespace KernelRegression.Matrix;

/// <summary>
/// How a spawner launches a single-user server, in pod terms: image entrypoint replaced (command)
/// or kept (args), environment, uid/gid, working dir, init, limits, the home and other volumes,
/// files, a postStart hook and init containers. One file per profile in fixtures/profiles; a user's
/// own file works the same way; z2jh values become one per cell (KernelRegression.Deployments).
/// The docker tier hands it to the hub's ContainerSpawner as JSON (<see cref="ToSpawnerJson"/>);
/// the kind tier renders it into chart values.
/// </summary>
public sealed partial record LaunchProfile
{
    public string Name { get; init; } = "";
    public string Description { get; init; } = "";
    /// <summary>Kubernetes `command`: replaces ENTRYPOINT, drops CMD. Null keeps the image's.</summary>
    public List<string>? Command { get; init; }
    /// <summary>Kubernetes `args`: replaces CMD, keeps ENTRYPOINT. Null keeps the image's.</summary>
    public List<string>? Args { get; init; }
    /// <summary>
    /// In the order the container gets them: a value may reference an earlier entry as $(NAME), expanded
    /// as Kubernetes does. Built once and never removed from, so the dictionary keeps insertion order.
    /// </summary>
    public Dictionary<string, string> Env { get; init; } = [];
    /// <summary>
    /// The container's environment is exactly <see cref="Env"/>: JupyterHub's own variables (its API token,
    /// URLs, MEM_LIMIT …) are not added, as when extra_container_config.env replaces a pod's whole env
    /// (jupyterhub/kubespawner#306).
    /// </summary>
    public bool EnvReplacesHub { get; init; }
    public int? Uid { get; init; }
    public int? Gid { get; init; }
    public string? WorkingDir { get; init; }
    public bool Init { get; init; }
    public string? MemLimit { get; init; }
    public double? CpuLimit { get; init; }
    public bool ReadOnlyRoot { get; init; }
    /// <summary>Pod fsGroup: a supplementary group of the server, and the group that owns the volumes (setgid).</summary>
    public int? FsGid { get; init; }
    /// <summary>Bytes, or a number with K/M/G/T; the memory the pod requests.</summary>
    public string? MemGuarantee { get; init; }
    public double? CpuGuarantee { get; init; }
    /// <summary>Null: not set (Docker's default, allowed); false: no-new-privileges.</summary>
    public bool? AllowPrivilegeEscalation { get; init; }
    /// <summary>The home volume; null is today's behaviour, a per-user volume at /home/jovyan.</summary>
    public HomeStorage? Storage { get; init; }
    public List<LaunchVolume> Volumes { get; init; } = [];
    /// <summary>Mounts of <see cref="Volumes"/> by name; the name "home" is the home volume (<see cref="Storage"/>).</summary>
    public List<LaunchVolumeMount> VolumeMounts { get; init; } = [];
    public List<LaunchFile> ExtraFiles { get; init; } = [];
    /// <summary>lifecycle.postStart.exec.command: run in the container right after it starts.</summary>
    public List<string>? PostStart { get; init; }
    /// <summary>Run to completion, in order, before the server starts, sharing its volumes.</summary>
    public List<LaunchInitContainer> InitContainers { get; init; } = [];
    /// <summary>
    /// Spawner.default_url: where the hub sends the user (JUPYTERHUB_DEFAULT_URL). Null: the hub's own
    /// (the suite's hub config says /tree); "": none, as the chart leaves it without singleuser.defaultUrl.
    /// </summary>
    public string? DefaultUrl { get; init; }
    /// <summary>
    /// The spawner's own limits when they are not the container's (extra_container_config.resources
    /// replaced the container's): JupyterHub puts these in the env (MEM_LIMIT, …). Null: the container's.
    /// </summary>
    public HubLimits? HubLimits { get; init; }
    /// <summary>
    /// Which KubeSpawner fills the templates in env values, mounts, init containers, working_dir and
    /// labels (null: KubeSpawner 7's defaults). Text KubeSpawner does not format has its braces doubled.
    /// </summary>
    public LaunchTemplates? Templates { get; init; }
    /// <summary>Extra container labels (z2jh extraLabels); the run's own labels are added by the spawner.</summary>
    public Dictionary<string, string> Labels { get; init; } = [];

    private static readonly IDeserializer Yaml = new DeserializerBuilder()
        .WithNamingConvention(UnderscoredNamingConvention.Instance)
        .Build();

    public static LaunchProfile Load(string path)
    {
        if (!File.Exists(path))
        {
            throw new HarnessException($"launch profile file {path} does not exist",
                $"use a profile from fixtures/profiles ({string.Join(", ", BuiltIn())}) or a path to your own YAML file");
        }
        try
        {
            var profile = Yaml.Deserialize<LaunchProfile>(File.ReadAllText(path)) ?? new LaunchProfile();
            profile = profile with { Name = string.IsNullOrEmpty(profile.Name) ? Path.GetFileNameWithoutExtension(path) : profile.Name };
            profile.Validate(path);
            return profile;
        }
        catch (YamlException e)
        {
            throw new HarnessException($"launch profile {path} is not valid YAML at line {e.Start.Line}, column {e.Start.Column}: {e.InnerException?.Message ?? e.Message}",
                "fix the file; fields are name, description, command, args, env, uid, gid, fs_gid, working_dir, init, mem_limit, mem_guarantee, cpu_limit, cpu_guarantee, read_only_root, allow_privilege_escalation, storage, volumes, volume_mounts, extra_files, post_start, init_containers, default_url, labels");
        }
    }

    /// <summary>A built-in profile by name, or a path to a user's file.</summary>
    public static LaunchProfile Resolve(string nameOrPath) =>
        File.Exists(nameOrPath) ? Load(nameOrPath) : Load(FixturePaths.Of("profiles", nameOrPath + ".yaml"));

    public static IReadOnlyList<string> BuiltIn() =>
        Directory.Exists(FixturePaths.Of("profiles"))
            ? Directory.EnumerateFiles(FixturePaths.Of("profiles"), "*.yaml").Select(p => Path.GetFileNameWithoutExtension(p)).Order().ToList()
            : [];

    private void Validate(string path)
    {
        if (MemLimit is not null && !MemoryLimit().IsMatch(MemLimit))
        {
            throw new HarnessException($"launch profile {path}: mem_limit '{MemLimit}' is not a size",
                "write it as bytes or with a unit: 536870912, 512M, 1G, 256Mi");
        }
        if (MemGuarantee is not null && !MemoryLimit().IsMatch(MemGuarantee))
        {
            throw new HarnessException($"launch profile {path}: mem_guarantee '{MemGuarantee}' is not a size",
                "write it as bytes or with a unit: 536870912, 512M, 1G, 256Mi");
        }
        if (CpuLimit is <= 0 || CpuGuarantee is <= 0)
        {
            throw new HarnessException($"launch profile {path}: cpu_limit {CpuLimit} / cpu_guarantee {CpuGuarantee} must be positive", "write CPUs as a number, e.g. 0.5");
        }
        if (Command is { Count: 0 } || Args is { Count: 0 })
        {
            throw new HarnessException($"launch profile {path}: an empty command or args list", "use null to keep the image's own, or list the program and its arguments");
        }
        // "home" names the home volume (storage) in a mount, as an init container needs it.
        var names = Volumes.Select(v => v.Name).Concat(Storage?.Type is HomeStorage.None ? [] : ["home"]).ToHashSet(StringComparer.Ordinal);
        var orphan = VolumeMounts.Concat(InitContainers.SelectMany(c => c.VolumeMounts)).FirstOrDefault(m => !names.Contains(m.Name));
        if (orphan is not null)
        {
            throw new HarnessException($"launch profile {path}: volume mount at {orphan.MountPath} names volume '{orphan.Name}', which is not among volumes ({string.Join(", ", names)})",
                "add the volume under volumes, or fix the mount's name");
        }
    }

    /// <summary>
    /// The JSON the hub's ContainerSpawner reads (user_options.launch_profile / KR_LAUNCH_PROFILE): the
    /// launch contract, snake_case keys, null or absent = not set. <paramref name="image"/> is the cell's
    /// image as the engine knows it; <paramref name="resolveImage"/> turns an init container's own image
    /// (as mapped from the values) into one the engine has (default: as written).
    /// </summary>
    public JsonObject ToSpawnerJson(string image, Func<string, string>? resolveImage = null)
    {
        var o = new JsonObject
        {
            ["image"] = image,
            ["command"] = Strings(Command),
            ["args"] = Strings(Args),
            ["env"] = Map(Env),
            ["env_replaces_hub"] = EnvReplacesHub,
            ["uid"] = Uid,
            ["gid"] = Gid,
            ["fs_gid"] = FsGid,
            ["working_dir"] = WorkingDir,
            ["init"] = Init,
            ["mem_limit"] = MemLimit,
            ["mem_guarantee"] = MemGuarantee,
            ["cpu_limit"] = CpuLimit,
            ["cpu_guarantee"] = CpuGuarantee,
            ["read_only_root"] = ReadOnlyRoot,
            ["allow_privilege_escalation"] = AllowPrivilegeEscalation,
        };
        if (Storage is not null)
        {
            o["storage"] = new JsonObject
            {
                ["type"] = Storage.Type,
                ["home_mount_path"] = Storage.HomeMountPath,
                ["static_sub_path"] = Storage.StaticSubPath,
            };
        }
        o["volumes"] = new JsonArray([.. Volumes.Select(v => (JsonNode)new JsonObject
        {
            ["name"] = v.Name,
            ["type"] = v.Type,
            ["files"] = v.Files is null ? null : Map(v.Files),
            ["default_mode"] = v.DefaultMode,
        })]);
        o["volume_mounts"] = Mounts(VolumeMounts);
        o["extra_files"] = new JsonArray([.. ExtraFiles.Select(f => (JsonNode)new JsonObject
        {
            ["mount_path"] = f.MountPath, ["mode"] = f.Mode, ["content"] = f.Content,
        })]);
        o["post_start"] = Strings(PostStart);
        o["init_containers"] = new JsonArray([.. InitContainers.Select(c => (JsonNode)new JsonObject
        {
            ["name"] = c.Name,
            ["image"] = c.Image is null ? null : (resolveImage ?? (i => i))(c.Image),
            ["command"] = Strings(c.Command),
            ["args"] = Strings(c.Args),
            ["env"] = Map(c.Env),
            ["volume_mounts"] = Mounts(c.VolumeMounts),
            ["uid"] = c.Uid,
            ["gid"] = c.Gid,
        })]);
        o["default_url"] = DefaultUrl;
        if (HubLimits is not null)
        {
            o["hub_limits"] = new JsonObject
            {
                ["mem_limit"] = HubLimits.MemLimit, ["mem_guarantee"] = HubLimits.MemGuarantee,
                ["cpu_limit"] = HubLimits.CpuLimit, ["cpu_guarantee"] = HubLimits.CpuGuarantee,
            };
        }
        if (Templates is not null)
        {
            o["templates"] = new JsonObject
            {
                ["kubespawner"] = Templates.KubeSpawner, ["slug_scheme"] = Templates.SlugScheme,
                ["pod_name_template"] = Templates.PodNameTemplate, ["pvc_name_template"] = Templates.PvcNameTemplate,
                ["namespace"] = Templates.Namespace,
            };
        }
        var labels = Map(Labels);
        labels["org.kernelregression.profile"] = Name;
        o["labels"] = labels;
        return o;
    }

    private static JsonArray? Strings(List<string>? l) => l is null ? null : new JsonArray([.. l.Select(c => (JsonNode)JsonValue.Create(c))]);

    private static JsonObject Map(Dictionary<string, string> d)
    {
        var o = new JsonObject();
        foreach (var (k, v) in d)
        {
            o[k] = v;
        }
        return o;
    }

    private static JsonArray Mounts(List<LaunchVolumeMount> mounts) => new([.. mounts.Select(m => (JsonNode)new JsonObject
    {
        ["name"] = m.Name, ["mount_path"] = m.MountPath, ["sub_path"] = m.SubPath, ["read_only"] = m.ReadOnly,
    })]);

    [GeneratedRegex(@"^\d+(\.\d+)?([KMGT]i?)?$")]
    private static partial Regex MemoryLimit();
}

/// <summary>The home volume: none, a volume per user (dynamic), or one shared volume with a subdirectory per user (static).</summary>
public sealed record HomeStorage
{
    public const string None = "none", Dynamic = "dynamic", Static = "static";
    public string Type { get; init; } = Dynamic;
    public string HomeMountPath { get; init; } = "/home/jovyan";
    /// <summary>Static only: the per-user subdirectory (z2jh default "{username}", expanded by the spawner).</summary>
    public string? StaticSubPath { get; init; }
}

/// <summary>The JupyterHub spawner's mem/cpu limits and guarantees (bytes as text, CPUs), when they differ from the container's.</summary>
public sealed record HubLimits(string? MemLimit, string? MemGuarantee, double? CpuLimit, double? CpuGuarantee);

/// <summary>The KubeSpawner whose template fields the spawner fills: its version, slug scheme, pod and claim name templates, namespace.</summary>
public sealed record LaunchTemplates(string KubeSpawner, string SlugScheme, string PodNameTemplate, string PvcNameTemplate, string Namespace);

/// <summary>A pod volume the spawner can make on Docker: emptyDir, or configMap/secret whose files are given.</summary>
public sealed record LaunchVolume
{
    public string Name { get; init; } = "";
    /// <summary>emptyDir, configMap, secret or hostPath.</summary>
    public string Type { get; init; } = "emptyDir";
    /// <summary>configMap/secret: relative path → content.</summary>
    public Dictionary<string, string>? Files { get; init; }
    public int? DefaultMode { get; init; }
}

public sealed record LaunchVolumeMount
{
    public string Name { get; init; } = "";
    public string MountPath { get; init; } = "";
    public string? SubPath { get; init; }
    public bool ReadOnly { get; init; }
}

/// <summary>A file placed in the container (z2jh extraFiles): read-only, at its own path.</summary>
public sealed record LaunchFile
{
    public string MountPath { get; init; } = "";
    /// <summary>Permission bits (0644 = 420).</summary>
    public int Mode { get; init; } = 420;
    public string Content { get; init; } = "";
}

/// <summary>A container run to completion before the server; null image = the cell's image.</summary>
public sealed record LaunchInitContainer
{
    public string Name { get; init; } = "";
    public string? Image { get; init; }
    public List<string>? Command { get; init; }
    public List<string>? Args { get; init; }
    public Dictionary<string, string> Env { get; init; } = [];
    public List<LaunchVolumeMount> VolumeMounts { get; init; } = [];
    public int? Uid { get; init; }
    public int? Gid { get; init; }
}
