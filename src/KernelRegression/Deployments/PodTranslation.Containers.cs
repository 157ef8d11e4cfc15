using KernelRegression.Matrix;

namespace KernelRegression.Deployments;

/// <summary>The container lifecycle hook and the init containers, as make_pod sets them, on Docker.</summary>
internal sealed partial class PodTranslation
{
    private List<string>? Lifecycle(OrderedDictionary<string, object?>? lifecycle, string source)
    {
        List<string>? postStart = null;
        foreach (var (hook, value) in lifecycle ?? [])
        {
            var key = $"{source}.{hook}";
            var h = ValuesTree.AsMap(value);
            if (Snake(hook) == "post_start" && ValuesTree.AsMap(h?.GetValueOrDefault("exec")) is { } exec)
            {
                postStart = Strings(exec.GetValueOrDefault("command"), key + ".exec.command");
                _sources["post_start"] = key;
                foreach (var other in h!.Keys.Where(k => k != "exec"))
                {
                    NotApply($"{key}.{other}", "a second handler of the hook; docker runs the exec one");
                }
            }
            else if (Snake(hook) == "post_start")
            {
                NotApply(key, "only an exec postStart hook runs on docker (httpGet, tcpSocket and sleep do not)");
            }
            else if (Snake(hook) == "pre_stop")
            {
                NotApply(key, "docker stop does not run hooks; the suite stops servers through the hub");
            }
            else
            {
                NotApply(key, "not a container lifecycle hook");
            }
        }
        return postStart;
    }

    /// <summary>What an init container's securityContext asks that a docker container of the suite is never given, or null.</summary>
    private static string? Privileges(OrderedDictionary<string, object?> container)
    {
        var sc = ValuesTree.AsMap(container.GetValueOrDefault("securityContext") ?? container.GetValueOrDefault("security_context"));
        var needs = new List<string>();
        if (sc?.GetValueOrDefault("privileged") is true)
        {
            needs.Add("privileged mode (securityContext.privileged)");
        }
        if (ValuesTree.AsList(ValuesTree.At(sc, "capabilities.add")) is { Count: > 0 } caps)
        {
            needs.Add($"the capabilities {string.Join(", ", caps.Select(ValuesTree.Scalar))} (securityContext.capabilities.add)");
        }
        return needs.Count == 0 ? null : string.Join(" and ", needs);
    }

    private (List<LaunchInitContainer>, List<ImageChoice>) InitContainers(string imageRef, Dictionary<string, VolumeUse> volumes, HomeStorage storage)
    {
        var source = _s.SourceOf("init_containers");
        var result = new List<LaunchInitContainer>();
        var images = new List<ImageChoice>();
        foreach (var item in SortedValues(_s["init_containers"]))
        {
            var c = ValuesTree.AsMap(item) ?? throw new ValuesException($"{source}: an init container is {ValuesTree.Describe(item)}", "each init container is a map (a Kubernetes container)");
            if (c.ContainsKey(ChartConfig.CloudMetadataMarker))
            {
                NotApply("singleuser.cloudMetadata.blockWithIptables",
                    "the chart's privileged iptables init container (block-cloud-metadata) blocks a cloud's metadata server; a docker machine has none to block");
                continue;
            }
            var name = c.GetValueOrDefault("name") as string ?? throw new ValuesException($"{source}: an init container without a name", "give every init container a name");
            var key = $"{source}[{name}]";
            if (Privileges(c) is { } needs)
            {
                NotApply(key, $"needs {needs}, which the docker tier does not grant a student's containers: it is not run (on the cluster it runs before the server)");
                continue;
            }
            var image = c.GetValueOrDefault("image") as string ?? throw new ValuesException($"{key} has no image; Kubernetes refuses it", "give the init container an image");
            string? launchImage = null;
            if (image != imageRef)
            {
                var choice = _ctx.Images.Resolve(image);
                images.Add(choice);
                launchImage = choice.Target;
            }
            var env = new Dictionary<string, string>(StringComparer.Ordinal);
            foreach (var e in ValuesTree.AsList(c.GetValueOrDefault("env")) ?? [])
            {
                var var = ValuesTree.AsMap(e);
                var varName = ValuesTree.Scalar(var?.GetValueOrDefault("name"));
                if (var?.ContainsKey("valueFrom") == true)
                {
                    NotApply($"{key}.env.{varName}", "valueFrom reads a Secret, ConfigMap or pod field of the cluster");
                    continue;
                }
                var value = var?.GetValueOrDefault("value");
                if (value is not (null or string))
                {
                    throw new ValuesException(
                        $"{key}.env.{varName} is {ValuesTree.Describe(value)}, not text: the Kubernetes API refuses the pod (an EnvVar's value is a string)",
                        $"quote it: \"{ValuesTree.Scalar(value)}\"");
                }
                env[varName] = ValuesTree.Scalar(value);
            }
            var mounts = new List<LaunchVolumeMount>();
            foreach (var m in ValuesTree.AsList(c.GetValueOrDefault("volumeMounts") ?? c.GetValueOrDefault("volume_mounts")) ?? [])
            {
                var mount = ValuesTree.AsMap(m) ?? ValuesTree.NewMap();
                var volume = ValuesTree.Scalar(mount.GetValueOrDefault("name"));
                var path = ValuesTree.Scalar(mount.GetValueOrDefault("mountPath"));
                var sub = mount.GetValueOrDefault("subPath") is { } sp ? ValuesTree.Scalar(sp) : null;
                if (!volumes.TryGetValue(volume, out var use))
                {
                    throw new ValuesException($"{key}: the mount at {path} names volume '{volume}', which no volume has (volumes: {string.Join(", ", volumes.Keys)}); Kubernetes refuses the pod",
                        "mount one of the pod's volumes (for the home: the storage volume's name, e.g. volume-{user_server} or home)");
                }
                if (use.Kind == "claim" && storage.Type != HomeStorage.None && ClaimOf(use) == _homeClaim)
                {
                    // The home's claim, by the reserved name "home": a subPath is relative to the claim's root.
                    mounts.Add(new LaunchVolumeMount { Name = "home", MountPath = path, SubPath = sub, ReadOnly = mount.GetValueOrDefault("readOnly") is true });
                }
                else if (use.Launch is not null)
                {
                    mounts.Add(new LaunchVolumeMount { Name = volume, MountPath = path, SubPath = sub, ReadOnly = mount.GetValueOrDefault("readOnly") is true });
                }
                else
                {
                    NotApply($"{key}.volumeMounts[{path}]", use.Why ?? "a volume the launch on docker does not carry");
                }
            }
            var sc = ValuesTree.AsMap(c.GetValueOrDefault("securityContext")) ?? ValuesTree.NewMap();
            foreach (var field in c.Keys.Where(k => k is not ("name" or "image" or "command" or "args" or "env" or "volumeMounts" or "volume_mounts" or "securityContext")))
            {
                NotApply($"{key}.{field}", "an init container field the launch on docker does not carry");
            }
            foreach (var field in sc.Keys.Where(k => k is not ("runAsUser" or "runAsGroup")))
            {
                NotApply($"{key}.securityContext.{field}", "an init container security setting the launch on docker does not carry");
            }
            result.Add(new LaunchInitContainer
            {
                Name = name,
                Image = launchImage,
                Command = c.GetValueOrDefault("command") is { } cmd ? Strings(cmd, key + ".command") : null,
                Args = c.GetValueOrDefault("args") is { } a ? Strings(a, key + ".args") : null,
                Env = env,
                VolumeMounts = mounts,
                Uid = Int(sc.GetValueOrDefault("runAsUser")),
                Gid = Int(sc.GetValueOrDefault("runAsGroup")),
            });
            _sources[$"init_containers.{name}"] = key;
        }
        return (result, images);
    }
}
