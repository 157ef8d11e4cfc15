using System.Globalization;
using System.Text.Json.Nodes;

namespace KernelRegression.Tests.Deployments;

/// <summary>The server's container: image, command and args, env, security context, resources, mounts, lifecycle.</summary>
internal sealed partial class PodComparison
{
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
        var limits = _launch.HubLimits ?? new KernelRegression.Matrix.HubLimits(_launch.MemLimit, _launch.MemGuarantee, _launch.CpuLimit, _launch.CpuGuarantee);
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
}
