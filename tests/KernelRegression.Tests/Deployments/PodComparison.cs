using System.Globalization;
using System.Text.Json.Nodes;

namespace KernelRegression.Tests.Deployments;

/// <summary>The pod's fields, one by one, against the cell's launch (templates filled for the record's user).</summary>
internal sealed partial class PodComparison(GoldenRecord golden, ValuesCell cell)
{
    private readonly List<string> _problems = [];

    /// <summary>Fields compared with the launch, and fields accounted for as not carried.</summary>
    public int Compared { get; private set; }
    public int Listed { get; private set; }
    private readonly IReadOnlyDictionary<string, object> _fields = golden.Fields(cell.Launch.Templates!);
    private readonly KernelRegression.Matrix.LaunchProfile _launch = cell.Launch;

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

    /// <summary>Pod fields of scheduling and identity a docker launch has no counterpart for, each with the fragments of
    /// the values keys (chart or KubeSpawner spelling) one of which its NotApplied must name.</summary>
    private static readonly Dictionary<string, string[]> SchedulingKeys = new()
    {
        ["nodeSelector"] = ["nodeSelector", "node_selector"],
        ["tolerations"] = ["tolerations", "Tolerations"],
        ["affinity"] = ["Affinity", "affinity", "matchNodePurpose"],
        ["schedulerName"] = ["userScheduler", "scheduler_name"],
        ["priorityClassName"] = ["podPriority", "priority_class_name"],
        ["serviceAccountName"] = ["serviceAccountName", "service_account"],
    };

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
                case var scheduling when SchedulingKeys.TryGetValue(scheduling, out var keys):
                    NotCarried(path, keys);
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
}
