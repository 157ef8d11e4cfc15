using System.Globalization;
using System.Text.Json.Nodes;

namespace KernelRegression.Tests.Deployments;

/// <summary>The pod's volumes and init containers.</summary>
internal sealed partial class PodComparison
{
    // ---------------------------------------------------------------- volumes
    private Dictionary<string, JsonObject> PodVolumes => golden.Pod["spec"]!["volumes"]?.AsArray().ToDictionary(v => v!["name"]!.GetValue<string>(), v => v!.AsObject()) ?? [];

    /// <summary>The pod volume a launch mount stands for: "home" is the home's claim; others by name.</summary>
    private bool SameVolume(string podVolume, string launchVolume)
    {
        var v = PodVolumes.GetValueOrDefault(podVolume);
        return launchVolume == "home" ? v?["persistentVolumeClaim"] is not null && (_homeVolume ??= HomeVolume()) == podVolume : podVolume == launchVolume;
    }

    private string? _homeVolume;

    private string? HomeVolume()
    {
        var mounts = golden.Pod["spec"]!["containers"]![0]!["volumeMounts"]?.AsArray() ?? [];
        return mounts.FirstOrDefault(m => m!["mountPath"]!.ToString() == _launch.Storage?.HomeMountPath && PodVolumes.GetValueOrDefault(m["name"]!.ToString())?["persistentVolumeClaim"] is not null)?["name"]?.ToString();
    }

    private void Mounts(string path, JsonArray mounts)
    {
        var expected = new List<(string Volume, string MountPath, string? SubPath, bool ReadOnly)>();
        if (_launch.Storage is { Type: not HomeStorage.None } s)
        {
            expected.Add(("home", s.HomeMountPath, s.Type == HomeStorage.Static ? Fill(s.StaticSubPath ?? "{username}") : null, false));
        }
        expected.AddRange(_launch.VolumeMounts.Select(m => (m.Name, Fill(m.MountPath), m.SubPath is null ? null : Fill(m.SubPath), m.ReadOnly)));
        var files = _launch.ExtraFiles.Select(f => Fill(f.MountPath)).ToList();
        foreach (var m in mounts)
        {
            var (name, mountPath) = (m!["name"]!.ToString(), m["mountPath"]!.ToString());
            var (subPath, readOnly) = (m["subPath"]?.ToString(), m["readOnly"]?.GetValue<bool>() ?? false);
            var where = $"{path}[{mountPath}]";
            if (PodVolumes.GetValueOrDefault(name)?["secret"]?["secretName"] is { } secret && files.Remove(mountPath))
            {
                continue; // an extraFiles file: compared with its volume
            }
            var mine = expected.FindIndex(e => e.MountPath == mountPath);
            if (mine < 0)
            {
                NotCarried(where, $"[{name}]", mountPath);
                continue;
            }
            var e = expected[mine];
            expected.RemoveAt(mine);
            if (!SameVolume(name, e.Volume) || subPath != e.SubPath || readOnly != e.ReadOnly)
            {
                Differs(where, $"{name} {subPath} ro={readOnly}", $"{e.Volume} {e.SubPath} ro={e.ReadOnly}");
            }
        }
        foreach (var e in expected)
        {
            Differs($"{path}[{e.MountPath}]", null, $"{e.Volume} {e.SubPath}");
        }
        foreach (var f in files)
        {
            Differs($"{path}[{f}]", null, "an extra file");
        }
    }

    private void Volumes(JsonArray volumes)
    {
        foreach (var v in volumes)
        {
            var name = v!["name"]!.ToString();
            var where = $"spec.volumes[{name}]";
            if (v["persistentVolumeClaim"] is not null)
            {
                if (name != (_homeVolume ??= HomeVolume()))
                {
                    NotCarried(where, $"[{name}]", "claim");
                }
                else
                {
                    Same($"{where} (the home's claim)", _launch.Storage?.Type is HomeStorage.Dynamic or HomeStorage.Static, true);
                }
            }
            else if (v["secret"]?["items"] is JsonArray items && _launch.ExtraFiles.Count > 0 && v["secret"]!["secretName"]!.ToString().EndsWith("singleuser", StringComparison.Ordinal))
            {
                var modes = items.Select(i => (int?)i!["mode"]?.GetValue<long>() ?? 420).ToList();
                SameList($"{where}.items.mode", [.. modes.Select(m => m.ToString(CultureInfo.InvariantCulture))], [.. _launch.ExtraFiles.Select(f => f.Mode.ToString(CultureInfo.InvariantCulture))]);
            }
            else if (_launch.Volumes.FirstOrDefault(l => l.Name == name) is { } mine)
            {
                var type = v.AsObject().Select(kv => kv.Key).First(k => k != "name");
                Same($"{where} type", type, mine.Type);
                foreach (var (option, _) in v[type]?.AsObject() ?? [])
                {
                    if (option is not ("name" or "secretName" or "items" or "defaultMode"))
                    {
                        NotCarried($"{where}.{type}.{option}", $"[{name}].{type}.{option}");
                    }
                }
            }
            else
            {
                NotCarried(where, $"[{name}]");
            }
        }
    }

    // ---------------------------------------------------------------- init containers
    private void InitContainers(JsonArray init)
    {
        foreach (var c in init)
        {
            var name = c!["name"]!.ToString();
            var where = $"spec.initContainers[{name}]";
            var mine = _launch.InitContainers.FirstOrDefault(i => i.Name == name);
            if (mine is null)
            {
                NotCarried(where, $"[{name}]", name == "block-cloud-metadata" ? "cloudMetadata" : $"[{name}]");
                continue;
            }
            foreach (var (k, v) in c.AsObject())
            {
                switch (k)
                {
                    case "name":
                        break;
                    case "image":
                        var image = mine.Image is null ? cell.Image.FromValues : cell.InitImages.FirstOrDefault(i => i.Target == mine.Image)?.FromValues ?? mine.Image;
                        Same($"{where}.image", v!.ToString(), image);
                        break;
                    case "command":
                        SameList($"{where}.command", Strings(v), mine.Command?.Select(Fill).ToList());
                        break;
                    case "args":
                        SameList($"{where}.args", Strings(v), mine.Args?.Select(Fill).ToList());
                        break;
                    case "env":
                        foreach (var e in v!.AsArray())
                        {
                            var n = e!["name"]!.ToString();
                            if (e["valueFrom"] is not null)
                            {
                                NotCarried($"{where}.env[{n}]", $"env.{n}");
                            }
                            else
                            {
                                Same($"{where}.env[{n}]", e["value"]?.ToString() ?? "", mine.Env.TryGetValue(n, out var ev) ? Fill(ev) : null);
                            }
                        }
                        break;
                    case "volumeMounts":
                        foreach (var m in v!.AsArray())
                        {
                            var (vol, mountPath, sub) = (m!["name"]!.ToString(), m["mountPath"]!.ToString(), m["subPath"]?.ToString());
                            var lm = mine.VolumeMounts.FirstOrDefault(x => Fill(x.MountPath) == mountPath);
                            if (lm is null)
                            {
                                NotCarried($"{where}.volumeMounts[{mountPath}]", $"volumeMounts[{mountPath}]");
                            }
                            else if (!SameVolume(vol, lm.Name) || sub != (lm.SubPath is null ? null : Fill(lm.SubPath)) || (m["readOnly"]?.GetValue<bool>() ?? false) != lm.ReadOnly)
                            {
                                Differs($"{where}.volumeMounts[{mountPath}]", $"{vol} {sub}", $"{lm.Name} {lm.SubPath}");
                            }
                        }
                        break;
                    case "securityContext":
                        Same($"{where}.securityContext.runAsUser", v!["runAsUser"]?.GetValue<long>(), (long?)mine.Uid);
                        Same($"{where}.securityContext.runAsGroup", v["runAsGroup"]?.GetValue<long>(), (long?)mine.Gid);
                        foreach (var (sk, _) in v.AsObject().Where(kv => kv.Key is not ("runAsUser" or "runAsGroup")))
                        {
                            NotCarried($"{where}.securityContext.{sk}", $"[{name}].securityContext.{sk}");
                        }
                        break;
                    case "resources" when v!.AsObject().Count == 0:
                        NotCarried("spec.initContainers[].resources");
                        break;
                    default:
                        NotCarried($"{where}.{k}", $"[{name}].{k}");
                        break;
                }
            }
        }
        foreach (var i in _launch.InitContainers.Where(i => !init.Any(c => c!["name"]!.ToString() == i.Name)))
        {
            Differs($"spec.initContainers[{i.Name}]", null, "an init container");
        }
    }
}
