using System.Globalization;
using System.Text.Json.Nodes;
using KernelRegression.Deployments;

namespace KernelRegression.Tests.Deployments;

/// <summary>
/// The docker launch held to the oracle: for every golden record of both pairs (chart 3.3.8 +
/// KubeSpawner 6.2.0, chart 4.2.0 + KubeSpawner 7.0.0; eng/golden-pods/README.md), the values, profile
/// and user options read here give a launch that equals the pod on every field it applies, and every
/// other field of the pod is in the cell's NotApplied (or <see cref="PodFieldsNotCarried"/>) with its
/// reason. A field that is neither fails the test with the file and the JSON path: zero silent
/// divergences. A golden refusal must be a refusal while reading, naming the key and the rule.
/// </summary>
public sealed class GoldenPodConformanceTests
{
    public static TheoryData<string> Records => [.. GoldenRecord.Files()];

    [Fact]
    public void TheOracleIsThereAndMostOfEachPodIsCompared()
    {
        var pods = GoldenRecord.Files().Select(GoldenRecord.Load).Where(g => g.Kind == "pod").ToList();
        var (compared, listed) = (0, 0);
        foreach (var (values, group) in pods.GroupBy(g => string.Join(",", g.Json["values"]!.AsArray().Select(v => v!["file"]!.ToString())) + g.Chart).Select(g => (g.First().Read(), g)))
        {
            foreach (var golden in group)
            {
                var (choices, unlisted) = golden.Options();
                var comparison = new PodComparison(golden, values.CellFor(golden.ProfileSlug, choices, unlisted));
                comparison.Run();
                (compared, listed) = (compared + comparison.Compared, listed + comparison.Listed);
            }
        }
        TestContext.Current.SendDiagnosticMessage($"{GoldenRecord.Files().Count()} records, {pods.Count} pods: {compared} fields compared with the launch, {listed} accounted as not carried");
        pods.Count.Should().BeGreaterThan(200, "eng/golden-pods/regenerate wrote the corpus' records for both pairs");
        compared.Should().BeGreaterThan(listed, "most of a pod is the launch, not a list of what it lacks");
    }

    [Theory]
    [MemberData(nameof(Records))]
    public void TheDockerLaunchIsThePodOrSaysWhyNot(string record)
    {
        var golden = GoldenRecord.Load(record);
        if (golden.Kind == "refusal")
        {
            RefusedWhileReading(golden);
            return;
        }
        golden.Kind.Should().Be("pod", record);
        var values = golden.Read();
        var (choices, unlisted) = golden.Options();
        var cell = values.CellFor(golden.ProfileSlug, choices, unlisted);

        var problems = new PodComparison(golden, cell).Run();

        if (problems.Count > 0)
        {
            Assert.Fail($"{record}: {problems.Count} field(s) of the pod neither the launch's nor a NotApplied with its reason:\n  " + string.Join("\n  ", problems));
        }
    }

    private static void RefusedWhileReading(GoldenRecord golden)
    {
        var refusal = golden.Refusal;
        var exception = refusal["exception"]!.GetValue<string>();
        var message = refusal["message"]!.GetValue<string>();
        string said;
        try
        {
            var values = golden.Read();
            var (choices, unlisted) = golden.Options();
            var refused = values.Refusals.FirstOrDefault(r => golden.ProfileSlug is { } slug && r.Key.Contains($"[{slug}]", StringComparison.Ordinal));
            said = refused?.ToString() ?? Refusal(() => values.CellFor(golden.ProfileSlug, choices, unlisted));
        }
        catch (ValuesException e)
        {
            said = e.What;
        }
        said.Should().NotBeNull($"{golden.File}: {refusal["stage"]} refused it ({exception}: {message}); reading must refuse it too");
        // The rule: the exception KubeSpawner, the chart or helm raised, with its words where they are the key.
        var rule = exception switch
        {
            "ValidationError" => "would refuse these values",
            "KeyError" or "TypeError" => $"{exception}: {message}",
            "ValueError" => message.TrimEnd('.'),
            _ => exception,
        };
        said.Should().Contain(rule, $"{golden.File}: the refusal names the rule ({exception}: {message})");
        said.Should().MatchRegex(@"(singleuser|hub)\.[A-Za-z]", $"{golden.File}: the refusal names the key");
    }

    private static string Refusal(Action read)
    {
        try
        {
            read();
            return null!;
        }
        catch (ValuesException e)
        {
            return e.What;
        }
    }
}

/// <summary>The pod's fields, one by one, against the cell's launch (templates filled for the record's user).</summary>
internal sealed class PodComparison(GoldenRecord golden, ValuesCell cell)
{
    private readonly List<string> _problems = [];

    /// <summary>Fields compared with the launch, and fields accounted for as not carried.</summary>
    public int Compared { get; private set; }
    public int Listed { get; private set; }
    private readonly IReadOnlyDictionary<string, object> _fields = golden.Fields(cell.Launch.Templates!);
    private readonly Matrix.LaunchProfile _launch = cell.Launch;

    private string Fill(string? template) => template is null ? null! : KubeSpawnerFields.Fill(template, _fields);

    private void Differs(string path, object? pod, object? launch) =>
        _problems.Add($"{path}: the pod has {Show(pod)}, the launch {Show(launch)}");

    private static string Show(object? v) => v switch
    {
        null => "nothing",
        JsonNode n => n.ToJsonString(),
        IEnumerable<string> l => "[" + string.Join(", ", l) + "]",
        _ => Convert.ToString(v, CultureInfo.InvariantCulture) ?? "",
    };

    /// <summary>A field the launch does not carry must be a NotApplied whose key names it (or a field no launch carries).</summary>
    private void NotCarried(string path, params string[] keyFragments)
    {
        Listed++;
        if (PodFieldsNotCarried.For(path) is not null)
        {
            return;
        }
        if (!cell.NotApplied.Any(n => keyFragments.Any(f => n.Key.Contains(f, StringComparison.Ordinal))))
        {
            _problems.Add($"{path}: not in the launch and not listed as not applied (looked for a key with {string.Join(" or ", keyFragments)})");
        }
    }

    private void Same(string path, object? pod, object? launch)
    {
        Compared++;
        if (!Equals(pod, launch))
        {
            Differs(path, pod, launch);
        }
    }

    private static List<string>? Strings(JsonNode? n) => n?.AsArray().Select(x => x!.ToString()).ToList();

    public List<string> Run()
    {
        var pod = golden.Pod;
        foreach (var (k, v) in pod)
        {
            if (k is "apiVersion" or "kind")
            {
                NotCarried(k);
            }
        }
        Metadata(pod["metadata"]!.AsObject());
        var spec = pod["spec"]!.AsObject();
        foreach (var (k, v) in spec)
        {
            var path = $"spec.{k}";
            switch (k)
            {
                case "containers":
                    foreach (var c in v!.AsArray())
                    {
                        if (c!["name"]!.GetValue<string>() == "notebook")
                        {
                            Notebook(c.AsObject());
                        }
                        else
                        {
                            NotCarried($"spec.containers[{c["name"]}]", "extraContainers", "extra_containers");
                        }
                    }
                    break;
                case "initContainers":
                    InitContainers(v!.AsArray());
                    break;
                case "securityContext":
                    foreach (var (sk, sv) in v!.AsObject())
                    {
                        if (sk == "fsGroup")
                        {
                            Same($"{path}.fsGroup", sv!.GetValue<long>(), (long?)_launch.FsGid);
                        }
                        else
                        {
                            NotCarried($"{path}.{sk}", sk, sk == "supplementalGroups" ? "supplemental_gids" : sk);
                        }
                    }
                    if (v.AsObject()["fsGroup"] is null && _launch.FsGid is not null)
                    {
                        Differs($"{path}.fsGroup", null, _launch.FsGid);
                    }
                    break;
                case "volumes":
                    Volumes(v!.AsArray());
                    break;
                case "shareProcessNamespace":
                    Same(path, v!.GetValue<bool>(), _launch.Init);
                    break;
                case "nodeSelector":
                    NotCarried(path, "nodeSelector", "node_selector");
                    break;
                case "tolerations":
                    NotCarried(path, "tolerations", "Tolerations");
                    break;
                case "affinity":
                    NotCarried(path, "Affinity", "affinity", "matchNodePurpose");
                    break;
                case "schedulerName":
                    NotCarried(path, "userScheduler", "scheduler_name");
                    break;
                case "priorityClassName":
                    NotCarried(path, "podPriority", "priority_class_name");
                    break;
                case "serviceAccountName":
                    NotCarried(path, "serviceAccountName", "service_account");
                    break;
                case "automountServiceAccountToken":
                    if (v!.GetValue<bool>())
                    {
                        NotCarried(path, "serviceAccountName", "service_account", "automount_service_account_token");
                    }
                    else
                    {
                        NotCarried(path);
                    }
                    break;
                case "imagePullSecrets":
                    if (v!.AsArray().Count > 0)
                    {
                        NotCarried(path, "pullSecrets", "imagePullSecret");
                    }
                    else
                    {
                        NotCarried(path);
                    }
                    break;
                default:
                    NotCarried(path, "extraPodConfig." + k, "extra_pod_config." + k);
                    break;
            }
        }
        if (spec["shareProcessNamespace"] is null && _launch.Init)
        {
            Differs("spec.shareProcessNamespace", null, true);
        }
        return _problems;
    }

    private void Metadata(JsonObject meta)
    {
        foreach (var (k, v) in meta)
        {
            switch (k)
            {
                case "labels":
                    foreach (var (lk, lv) in v!.AsObject())
                    {
                        if (_launch.Labels.TryGetValue(lk, out var mine))
                        {
                            Same($"metadata.labels.{lk}", lv!.ToString(), Fill(mine));
                        }
                        else
                        {
                            NotCarried($"metadata.labels.{lk}", "extraLabels." + lk, "extra_labels." + lk);
                        }
                    }
                    foreach (var lk in _launch.Labels.Keys.Where(lk => v.AsObject()[lk] is null))
                    {
                        Differs($"metadata.labels.{lk}", null, _launch.Labels[lk]);
                    }
                    break;
                case "annotations":
                    foreach (var (ak, _) in v!.AsObject())
                    {
                        NotCarried($"metadata.annotations.{ak}", "extraAnnotations", "extra_annotations");
                    }
                    break;
                default:
                    NotCarried($"metadata.{k}");
                    break;
            }
        }
    }

    private void Notebook(JsonObject c)
    {
        const string at = "spec.containers[notebook]";
        foreach (var (k, v) in c)
        {
            var path = $"{at}.{k}";
            switch (k)
            {
                case "image":
                    Same(path, v!.ToString(), cell.Image.FromValues);
                    break;
                case "command":
                    SameList(path, Strings(v), _launch.Command);
                    break;
                case "args":
                    SameList(path, Strings(v), _launch.Args);
                    break;
                case "workingDir":
                    Same(path, v!.ToString(), _launch.WorkingDir is null ? null : Fill(_launch.WorkingDir));
                    break;
                case "env":
                    Env(path, v!.AsArray());
                    break;
                case "securityContext":
                    ContainerSecurity(path, v!.AsObject());
                    break;
                case "resources":
                    Resources(path, v!.AsObject());
                    break;
                case "volumeMounts":
                    Mounts(path, v!.AsArray());
                    break;
                case "lifecycle":
                    Lifecycle(path, v!.AsObject());
                    break;
                case "imagePullPolicy":
                    NotCarried(path, "pullPolicy", "image_pull_policy");
                    break;
                case "name" or "ports":
                    NotCarried(k == "ports" ? $"{path}." : path);
                    break;
                default:
                    NotCarried(path, "extra_container_config." + k, "extraContainerConfig");
                    break;
            }
        }
        foreach (var (field, mine) in new (string, object?)[] { ("command", _launch.Command), ("args", _launch.Args), ("workingDir", _launch.WorkingDir) })
        {
            if (c[field] is null && mine is not null)
            {
                Differs($"{at}.{field}", null, mine);
            }
        }
        if (c["securityContext"] is null)
        {
            ContainerSecurity($"{at}.securityContext", []);
        }
    }

    private void SameList(string path, List<string>? pod, List<string>? launch)
    {
        Compared++;
        if (!(pod ?? []).SequenceEqual(launch ?? []) || (pod is null) != (launch is null))
        {
            Differs(path, pod, launch);
        }
    }

    private void Env(string path, JsonArray env)
    {
        var hub = new HashSet<string>(StringComparer.Ordinal);
        var order = new List<string>();
        foreach (var e in env)
        {
            var name = e!["name"]!.GetValue<string>();
            var where = $"{path}[{name}]";
            if (e["valueFrom"] is not null)
            {
                NotCarried(where, "." + name);
                continue;
            }
            var value = e["value"]?.ToString() ?? "";
            if (_launch.Env.TryGetValue(name, out var mine))
            {
                Same(where, value, Fill(mine));
                order.Add(name);
            }
            else if (HubValue(name) is { } expected)
            {
                Same(where, value, expected);
            }
            else if (name.StartsWith("JUPYTERHUB_", StringComparison.Ordinal) || name == "JPY_API_TOKEN")
            {
                hub.Add(name); // JupyterHub's own, set by the docker tier's hub at spawn (its URL, token, user)
            }
            else
            {
                Differs(where, value, null);
            }
        }
        var carried = _launch.Env.Keys.Where(order.Contains).ToList();
        if (!carried.SequenceEqual(order))
        {
            _problems.Add($"{path}: the pod orders {Show(order)}, the launch {Show(carried)}");
        }
        foreach (var name in _launch.Env.Keys.Where(n => !order.Contains(n)))
        {
            Differs($"{path}[{name}]", null, _launch.Env[name]);
        }
        var inPod = env.Select(e => e!["name"]!.GetValue<string>()).ToHashSet(StringComparer.Ordinal);
        foreach (var name in HubFromTraits.Where(n => !inPod.Contains(n)))
        {
            if (HubValue(name) is not "(none)")
            {
                Differs($"{path}[{name}]", null, HubValue(name));
            }
        }
    }

    private static readonly string[] HubFromTraits = ["MEM_LIMIT", "MEM_GUARANTEE", "CPU_LIMIT", "CPU_GUARANTEE", "JUPYTERHUB_DEFAULT_URL"];

    /// <summary>What JupyterHub's get_env puts in the env from the spawner's traits, as the launch gives them to the docker tier's hub.</summary>
    private string? HubValue(string name)
    {
        var limits = _launch.HubLimits ?? new Matrix.HubLimits(_launch.MemLimit, _launch.MemGuarantee, _launch.CpuLimit, _launch.CpuGuarantee);
        return name switch
        {
            "MEM_LIMIT" => limits.MemLimit ?? "(none)",
            "MEM_GUARANTEE" => limits.MemGuarantee ?? "(none)",
            "CPU_LIMIT" => Python(limits.CpuLimit) ?? "(none)",
            "CPU_GUARANTEE" => Python(limits.CpuGuarantee) ?? "(none)",
            "JUPYTERHUB_DEFAULT_URL" => _launch.DefaultUrl is { Length: > 0 } url ? url : "(none)",
            _ => null,
        };
    }

    private static string? Python(double? d) => d is null ? null : d == Math.Floor(d.Value) ? $"{d.Value:0}.0" : d.Value.ToString("R", CultureInfo.InvariantCulture);

    private void ContainerSecurity(string path, JsonObject sc)
    {
        Same($"{path}.runAsUser", sc["runAsUser"]?.GetValue<long>(), (long?)_launch.Uid);
        Same($"{path}.runAsGroup", sc["runAsGroup"]?.GetValue<long>(), (long?)_launch.Gid);
        Same($"{path}.allowPrivilegeEscalation", sc["allowPrivilegeEscalation"]?.GetValue<bool>(), _launch.AllowPrivilegeEscalation);
        Same($"{path}.readOnlyRootFilesystem", sc["readOnlyRootFilesystem"]?.GetValue<bool>() ?? false, _launch.ReadOnlyRoot);
        foreach (var (k, _) in sc.Where(kv => kv.Key is not ("runAsUser" or "runAsGroup" or "allowPrivilegeEscalation" or "readOnlyRootFilesystem")))
        {
            NotCarried($"{path}.{k}", k, k == "privileged" ? "privileged" : k);
        }
    }

    private void Resources(string path, JsonObject r)
    {
        double? Q(JsonNode? n) => n is null ? null : n.GetValueKind() == System.Text.Json.JsonValueKind.Number ? n.GetValue<double>() : Quantity.Of(n.ToString(), path);
        double? L(string? bytes) => bytes is null ? null : double.Parse(bytes, CultureInfo.InvariantCulture);
        Same($"{path}.limits.memory", Q(r["limits"]?["memory"]), L(_launch.MemLimit));
        Same($"{path}.requests.memory", Q(r["requests"]?["memory"]), L(_launch.MemGuarantee));
        Same($"{path}.limits.cpu", Q(r["limits"]?["cpu"]), _launch.CpuLimit);
        Same($"{path}.requests.cpu", Q(r["requests"]?["cpu"]), _launch.CpuGuarantee);
        foreach (var part in new[] { "limits", "requests" })
        {
            foreach (var (k, _) in r[part]?.AsObject() ?? [])
            {
                if (k is not ("cpu" or "memory"))
                {
                    NotCarried($"{path}.{part}.{k}", "extraResource", "extra_resource", "resources." + part + "." + k);
                }
            }
        }
    }

    private void Lifecycle(string path, JsonObject lifecycle)
    {
        if (lifecycle.Count == 0)
        {
            NotCarried(path);
        }
        foreach (var (hook, v) in lifecycle)
        {
            if (hook == "postStart" && v!["exec"]?["command"] is { } command)
            {
                SameList($"{path}.postStart.exec.command", Strings(command), _launch.PostStart);
            }
            else
            {
                NotCarried($"{path}.{hook}", hook);
            }
        }
        if (lifecycle["postStart"] is null && _launch.PostStart is not null)
        {
            Differs($"{path}.postStart", null, _launch.PostStart);
        }
    }

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
