using KernelRegression.Matrix;

namespace KernelRegression.Deployments;

/// <summary>
/// Volumes and mounts as make_pod sets them, on Docker: the claim mounted at homeMountPath is the
/// home (per user when its claim name is templated, else one shared volume with a subPath), the
/// chart's extraFiles Secret becomes files, emptyDir and configMap/secret (with given files) become
/// volumes; the rest is listed as not applied, with the mounts it takes along.
/// </summary>
internal sealed partial class PodTranslation
{
    private sealed record VolumeUse(string Kind, OrderedDictionary<string, object?> Spec, LaunchVolume? Launch, string? Why);

    private string VolumeKey(string name)
    {
        var volumesSource = _s.SourceOf("volumes");
        return volumesSource == "singleuser.storage" ? $"singleuser.storage.extraVolumes[{name}]" : $"{volumesSource}[{name}]";
    }

    private (HomeStorage Storage, List<LaunchVolumeMount> Mounts, List<LaunchFile> Files, Dictionary<string, VolumeUse> ByName)
        Volumes(List<object?> volumes, List<object?> mounts, string mountsSource)
    {
        var volumesSource = _s.SourceOf("volumes");
        var byName = new Dictionary<string, VolumeUse>(StringComparer.Ordinal);
        foreach (var v in volumes)
        {
            var spec = ValuesTree.AsMap(v) ?? throw new ValuesException($"{volumesSource}: a volume is {ValuesTree.Describe(v)}", "each volume is a map with name and a source (emptyDir, configMap, …)");
            var name = spec.GetValueOrDefault("name") as string ?? throw new ValuesException($"{volumesSource}: a volume without a name ({ValuesTree.Render(spec)})", "give every volume a name");
            var kind = spec.Keys.FirstOrDefault(k => k != "name") ?? "";
            byName[name] = Classify(name, Snake(kind), spec, VolumeKey(name));
        }

        HomeStorage? storage = null;
        var launchMounts = new List<LaunchVolumeMount>();
        var files = new List<LaunchFile>();
        var used = new HashSet<string>(StringComparer.Ordinal);
        var homePath = ValuesTree.Scalar(ValuesTree.At(_ctx.Singleuser, "storage.homeMountPath"));
        // The home: the claim mounted at homeMountPath (a claim mounted elsewhere, with no home, is another claim).
        var claimMounts = mounts.Select(ValuesTree.AsMap).Where(m => m is not null && byName.TryGetValue(ValuesTree.Scalar(m.GetValueOrDefault("name")), out var u) && u.Kind == "claim").ToList();
        var homeMount = claimMounts.FirstOrDefault(m => ValuesTree.Scalar(m!.GetValueOrDefault("mountPath")) == homePath);
        _homeClaim = homeMount is null ? null : ClaimOf(byName[ValuesTree.Scalar(homeMount.GetValueOrDefault("name"))]);
        // extra_container_config.volumeMounts are not formatted by KubeSpawner; the home's and the chart's are.
        var formatted = !mountsSource.Contains("extra_container_config", StringComparison.Ordinal);

        foreach (var m in mounts)
        {
            var mount = ValuesTree.AsMap(m) ?? throw new ValuesException($"{mountsSource}: a volume mount is {ValuesTree.Describe(m)}", "each mount is a map with name and mountPath");
            var name = ValuesTree.Scalar(mount.GetValueOrDefault("name"));
            var rawPath = ValuesTree.Scalar(mount.GetValueOrDefault("mountPath"));
            var path = (formatted ? rawPath : Literal(rawPath)) ?? "";
            var subPath = mount.GetValueOrDefault("subPath") is { } sp ? ValuesTree.Scalar(sp) : null;
            subPath = formatted ? subPath : Literal(subPath);
            var readOnly = mount.GetValueOrDefault("readOnly") is true;
            if (!byName.TryGetValue(name, out var use))
            {
                throw new ValuesException($"{mountsSource}: the mount at {path} names volume '{name}', which no volume has (volumes: {string.Join(", ", byName.Keys)}); Kubernetes refuses the pod",
                    "add the volume, or fix the mount's name (a profile's `volumes` replace the home and extraFiles volumes: kubespawner#550)");
            }
            used.Add(name);
            foreach (var extra in mount.Keys.Where(k => k is not ("name" or "mountPath" or "subPath" or "readOnly")))
            {
                NotApply($"{mountsSource}[{path}].{extra}", "a mount option the launch on docker does not carry");
            }
            switch (use.Kind)
            {
                case "claim" when ReferenceEquals(mount, homeMount):
                    var claim = ValuesTree.Scalar(ValuesTree.At(use.Spec, "persistentVolumeClaim.claimName"));
                    var perUser = claim.Contains('{', StringComparison.Ordinal);
                    storage = new HomeStorage { Type = perUser ? HomeStorage.Dynamic : HomeStorage.Static, HomeMountPath = path, StaticSubPath = perUser ? null : subPath };
                    _sources["storage"] = volumesSource == "singleuser.storage" ? "singleuser.storage" : volumesSource;
                    if (perUser && subPath is not null)
                    {
                        _notes.Add($"{mountsSource}[{path}].subPath '{subPath}': the per-user volume is mounted whole on docker");
                    }
                    if (readOnly)
                    {
                        NotApply($"{mountsSource}[{path}].readOnly", "the home is mounted read-write on docker");
                    }
                    break;
                case "claim" when _homeClaim is not null && ClaimOf(use) == _homeClaim:
                    // The home's claim mounted again (shared folders): a subPath relative to the claim's root.
                    launchMounts.Add(new LaunchVolumeMount { Name = "home", MountPath = path, SubPath = subPath, ReadOnly = readOnly });
                    _sources[$"volume_mounts[{path}]"] = mountsSource;
                    break;
                case "claim":
                    NotApply($"{VolumeKey(name)} at {path}", "another claim than the home's: docker gives each server one home volume");
                    break;
                case "files":
                    var key = subPath ?? "";
                    var file = ValuesTree.AsMap(ValuesTree.At(_ctx.Singleuser, "extraFiles"))?.GetValueOrDefault(key) as OrderedDictionary<string, object?>;
                    if (file is null)
                    {
                        NotApply($"{mountsSource}[{path}]", "mounts the chart's extraFiles Secret without one of its files");
                        break;
                    }
                    var (content, why) = ExtraFileContent.Of(key, file);
                    if (content is null)
                    {
                        NotApply($"singleuser.extraFiles.{key}", why!);
                        break;
                    }
                    files.Add(new LaunchFile { MountPath = path, Mode = Int(file.GetValueOrDefault("mode")) ?? 420, Content = content });
                    _sources[$"extra_files[{path}]"] = $"singleuser.extraFiles.{key}";
                    break;
                case "volume":
                    launchMounts.Add(new LaunchVolumeMount { Name = name, MountPath = path, SubPath = subPath, ReadOnly = readOnly });
                    _sources[$"volume_mounts[{path}]"] = mountsSource;
                    break;
                default:
                    NotApply(VolumeKey(name), $"{use.Why} (its mount at {path} is left out)");
                    break;
            }
        }
        foreach (var (name, use) in byName.Where(kv => !used.Contains(kv.Key) && kv.Value.Kind == "other"))
        {
            NotApply(VolumeKey(name), use.Why!);
        }
        if (storage is null)
        {
            _sources["storage"] = _s.SourceOf("volume_mounts");
            if (ValuesTree.Scalar(ValuesTree.At(_ctx.Singleuser, "storage.type")) is "dynamic" or "static")
            {
                _notes.Add($"no home volume: {mountsSource} replaces the chart's volume mounts, the home among them (kubespawner#550); Kubernetes runs it the same way");
            }
        }
        if (ValuesTree.AsMap(ValuesTree.At(_ctx.Singleuser, "extraFiles")) is { Count: > 0 } && !byName.Values.Any(u => u.Kind == "files"))
        {
            _notes.Add($"singleuser.extraFiles are not mounted: {volumesSource} replaces the chart's volumes (kubespawner#501, #550); Kubernetes runs it the same way");
        }
        return (storage ?? new HomeStorage { Type = HomeStorage.None, HomeMountPath = homePath.Length > 0 ? homePath : "/home/jovyan" }, launchMounts, files, byName);
    }

    private string? _homeClaim;

    /// <summary>The claim a persistentVolumeClaim volume names (its template, as written).</summary>
    private static string ClaimOf(VolumeUse use) => ValuesTree.Scalar(ValuesTree.At(use.Spec, "persistentVolumeClaim.claimName"));

    private VolumeUse Classify(string name, string kind, OrderedDictionary<string, object?> spec, string key)
    {
        var body = ValuesTree.AsMap(spec.FirstOrDefault(kv => kv.Key != "name").Value) ?? ValuesTree.NewMap();
        switch (kind)
        {
            case "persistent_volume_claim":
                return new VolumeUse("claim", spec, null, null);
            case "secret" when ValuesTree.Scalar(body.GetValueOrDefault("secretName")) == ChartConfig.ExtraFilesSecret:
                return new VolumeUse("files", spec, null, null);
            case "empty_dir":
                foreach (var option in body.Keys)
                {
                    NotApply($"{key}.emptyDir.{option}", option == "medium" ? "a tmpfs (medium: Memory) is not requested on docker: a plain volume" : "an emptyDir option docker does not carry");
                }
                return new VolumeUse("volume", spec, new LaunchVolume { Name = name, Type = "emptyDir" }, null);
            case "config_map" or "secret":
                var type = kind == "secret" ? "secret" : "configMap";
                var objectName = ValuesTree.Scalar(body.GetValueOrDefault(kind == "secret" ? "secretName" : "name"));
                IReadOnlyDictionary<string, string> all;
                string where;
                if (_ctx.VolumeFileContents.TryGetValue(name, out var given))
                {
                    (all, where) = (given, $"the files given for {name}");
                }
                else if (_ctx.VolumeFiles.TryGetValue(name, out var dir))
                {
                    (all, where) = (ReadDirectory(dir, name), dir);
                }
                else
                {
                    return new VolumeUse("other", spec, null,
                        $"the {type} '{objectName}' lives in the cluster; give its files with --volume-files {name}=DIR (KR_VOLUME_FILES for dotnet test)");
                }
                var files = Select(all, where, ValuesTree.AsList(body.GetValueOrDefault("items")), $"{key}.{type}.items");
                var mode = Int(body.GetValueOrDefault("defaultMode"));
                return new VolumeUse("volume", spec, new LaunchVolume { Name = name, Type = type, Files = files, DefaultMode = mode ?? 420 }, null);
            case "host_path":
                return new VolumeUse("other", spec, null, "a directory of a cluster node; the suite does not bind this machine's directories into a student's container");
            default:
                return new VolumeUse("other", spec, null, $"a {(kind.Length == 0 ? "volume without a source" : Camel(kind) + " volume")}, which has no counterpart on docker");
        }
    }

    internal static IReadOnlyDictionary<string, string> ReadDirectory(string dir, string volume)
    {
        if (!Directory.Exists(dir))
        {
            throw new HarnessException($"--volume-files {volume}={dir}: {dir} is not a directory", "give a directory holding the volume's files (one file per key)");
        }
        return Directory.EnumerateFiles(dir, "*", SearchOption.AllDirectories)
            .Select(f => (Key: Path.GetRelativePath(dir, f).Replace('\\', '/'), Content: File.ReadAllText(f)))
            .OrderBy(f => f.Key, StringComparer.Ordinal)
            .ToDictionary(f => f.Key, f => f.Content, StringComparer.Ordinal);
    }

    /// <summary>A configMap/secret's files as mounted: every key, or only the listed items at their paths.</summary>
    private static Dictionary<string, string> Select(IReadOnlyDictionary<string, string> all, string where, List<object?>? items, string itemsKey)
    {
        if (items is not { Count: > 0 })
        {
            return all.OrderBy(kv => kv.Key, StringComparer.Ordinal).ToDictionary(StringComparer.Ordinal);
        }
        var selected = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var item in items.Select(ValuesTree.AsMap))
        {
            var k = ValuesTree.Scalar(item?.GetValueOrDefault("key"));
            if (!all.TryGetValue(k, out var content))
            {
                throw new HarnessException($"{itemsKey}: key '{k}' is not among {where} ({string.Join(", ", all.Keys)})",
                    $"put the key's content in a file named {k}");
            }
            selected[ValuesTree.Scalar(item?.GetValueOrDefault("path"))] = content;
        }
        return selected;
    }
}
