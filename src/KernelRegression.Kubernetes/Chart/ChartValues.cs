using KernelRegression.Matrix;
using KernelRegression.Kubernetes.Cluster;
using YamlDotNet.Serialization;

namespace KernelRegression.Kubernetes.Chart;

/// <summary>
/// The values file `helm upgrade --install` gets for one cell: the harness' service and role, NodePort
/// access, the hub image, and the single-user pod from a <see cref="LaunchProfile"/>, every field of
/// it (or a refusal naming the field that chart values cannot express). docs/kubernetes.md has the
/// table; the values are rendered by the real chart and KubeSpawner in fixtures/deployments/golden/kind/.
///
/// How a profile's launch maps onto KubeSpawner:
/// - args (Kubernetes `args`, image ENTRYPOINT kept): singleuser.cmd. Since kubespawner PR 38 the
///   spawner's cmd (plus get_args()) becomes the container's `args`, never its `command`.
/// - command (Kubernetes `command`, ENTRYPOINT replaced and CMD dropped, the 2017 incident's launch,
///   kubespawner PR 34): no chart key reaches it, so it goes through KubeSpawner.extra_container_config
///   (merged into the notebook container) as hub.config.KubeSpawner.extra_container_config.command,
///   with singleuser.cmd null so no `args` follow.
/// - neither: singleuser.cmd null: the image's ENTRYPOINT and CMD run.
/// - init: Kubernetes has no `docker --init`; shareProcessNamespace makes the pod's pause process PID 1
///   (it reaps zombies), so the server is not PID 1, which is what the docker-init profile is about.
///   A launch without one gets singleuser.profileList: itself as the default profile, and the
///   incident's control, the same pod with shareProcessNamespace (<see cref="InitControlProfile"/>).
/// - read_only_root: KubeSpawner.container_security_context, which make_pod merges over the
///   runAsUser/runAsGroup/allowPrivilegeEscalation it builds from uid, gid and
///   allow_privilege_escalation. (extra_container_config.securityContext would replace them whole:
///   update_k8s_model sets the attribute.)
/// - a null the chart has a default for is written as null, which deletes the default (helm):
///   fsGid, memory/cpu guarantees, allowPrivilegeEscalation, defaultUrl.
/// Strings KubeSpawner formats with the user's fields (str.format: env values, init containers,
/// working_dir, labels) have their braces doubled, so `${HOME}` reaches the container as written.
/// Every string value is written double-quoted: helm reads values as YAML 1.1, where a plain
/// true, yes, on, 1, 0755, 0x1F, 1e3, null or ~ is a bool, a number or null, not the string meant.
/// </summary>
public static class ChartValues
{
    public const string ServiceName = "kr-harness";
    public static readonly IReadOnlyList<string> HarnessScopes = ["admin:users", "admin:servers", "access:servers", "tokens", "read:hub"];

    // One serializer per render: the quoting emitter keeps state while it writes.
    private static ISerializer Yaml() => new SerializerBuilder()
        .ConfigureDefaultValuesHandling(DefaultValuesHandling.Preserve)
        .WithEventEmitter(next => new QuotedStringValues(next))
        .Build();

    /// <param name="singleUserImage">name:tag of the single-user image (loaded into the cluster, so never pulled).</param>
    /// <param name="apiToken">the harness service's token (a placeholder in a plan).</param>
    /// <param name="dummyPassword">the dummy authenticator's password: random per run, nobody is told it.</param>
    public static string Render(ChartSpec chart, LaunchProfile profile, string singleUserImage, string apiToken, string dummyPassword) =>
        "# Rendered by KernelRegression (Chart/ChartValues.cs) for one run; do not edit.\n" +
        Yaml().Serialize(Build(chart, profile, singleUserImage, apiToken, dummyPassword));

    public static Dictionary<string, object?> Build(ChartSpec chart, LaunchProfile profile, string singleUserImage, string apiToken, string dummyPassword)
    {
        var (suName, suTag) = SplitImage(singleUserImage);
        var (hubName, hubTag) = SplitImage(chart.HubImage);

        var jupyterHubConfig = new Dictionary<string, object?> { ["authenticator_class"] = "dummy" };
        var authenticator = new Dictionary<string, object?>();
        if (chart.NeedsAllowAll)
        {
            authenticator["allow_all"] = true;
        }
        var config = new Dictionary<string, object?>
        {
            ["JupyterHub"] = jupyterHubConfig,
            ["DummyAuthenticator"] = new Dictionary<string, object?> { ["password"] = dummyPassword },
        };
        if (authenticator.Count > 0)
        {
            config["Authenticator"] = authenticator;
        }
        var kubeSpawner = KubeSpawnerConfig(profile);
        foreach (var (key, value) in ChartStorage.KubeSpawnerSixHome(chart, profile))
        {
            kubeSpawner[key] = value;
        }
        if (kubeSpawner.Count > 0)
        {
            config["KubeSpawner"] = kubeSpawner;
        }

        var hub = new Dictionary<string, object?>
        {
            ["services"] = new Dictionary<string, object?>
            {
                [ServiceName] = new Dictionary<string, object?> { ["apiToken"] = apiToken },
            },
            ["loadRoles"] = new Dictionary<string, object?>
            {
                [ServiceName] = new Dictionary<string, object?> { ["scopes"] = HarnessScopes.ToList(), ["services"] = new List<string> { ServiceName } },
            },
            ["allowNamedServers"] = true,
            ["config"] = config,
        };
        if (chart.NeedsHubImage)
        {
            hub["image"] = new Dictionary<string, object?> { ["name"] = hubName, ["tag"] = hubTag, ["pullPolicy"] = "IfNotPresent" };
        }

        return new Dictionary<string, object?>
        {
            ["hub"] = hub,
            ["proxy"] = new Dictionary<string, object?>
            {
                ["service"] = new Dictionary<string, object?>
                {
                    ["type"] = "NodePort",
                    ["nodePorts"] = new Dictionary<string, object?> { ["http"] = KindConfig.ProxyNodePort },
                },
            },
            ["singleuser"] = SingleUser(profile, suName, suTag),
            // Images come from `kind load`; pullers would only slow the install down.
            ["prePuller"] = new Dictionary<string, object?>
            {
                ["hook"] = new Dictionary<string, object?> { ["enabled"] = false },
                ["continuous"] = new Dictionary<string, object?> { ["enabled"] = false },
            },
            ["scheduling"] = new Dictionary<string, object?>
            {
                ["userScheduler"] = new Dictionary<string, object?> { ["enabled"] = false },
                ["userPlaceholder"] = new Dictionary<string, object?> { ["enabled"] = false },
            },
            ["cull"] = new Dictionary<string, object?> { ["enabled"] = false },
        };
    }

    /// <summary>hub.config.KubeSpawner: what no singleuser key reaches.</summary>
    private static Dictionary<string, object?> KubeSpawnerConfig(LaunchProfile profile)
    {
        var kubeSpawner = new Dictionary<string, object?>();
        if (profile.Command is not null)
        {
            kubeSpawner["extra_container_config"] = new Dictionary<string, object?> { ["command"] = profile.Command.ToList() };
        }
        if (profile.ReadOnlyRoot)
        {
            kubeSpawner["container_security_context"] = new Dictionary<string, object?> { ["readOnlyRootFilesystem"] = true };
        }
        if (profile.WorkingDir is not null)
        {
            kubeSpawner["working_dir"] = Literal(profile.WorkingDir);
        }
        if (profile.Gid is not null)
        {
            kubeSpawner["gid"] = profile.Gid;
        }
        return kubeSpawner;
    }

    private static Dictionary<string, object?> SingleUser(LaunchProfile profile, string imageName, string imageTag)
    {
        var singleuser = new Dictionary<string, object?>
        {
            ["image"] = new Dictionary<string, object?> { ["name"] = imageName, ["tag"] = imageTag, ["pullPolicy"] = "IfNotPresent" },
            // null keeps the image's CMD; a list becomes the container's args (kubespawner PR 38).
            ["cmd"] = profile.Args?.ToList(),
            // KubeSpawner >= 5 formats env values (jupyterhub/kubespawner#642). Helm hands the hub a map with
            // sorted keys, and KubeSpawner orders env by key after what a $(VAR) reference needs first.
            ["extraEnv"] = new SortedDictionary<string, string>(profile.Env.ToDictionary(e => e.Key, e => Literal(e.Value)), StringComparer.Ordinal),
            ["uid"] = profile.Uid,
            ["fsGid"] = profile.FsGid,
            ["allowPrivilegeEscalation"] = profile.AllowPrivilegeEscalation,
            ["memory"] = new Dictionary<string, object?> { ["limit"] = JupyterHubBytes("mem_limit", profile.MemLimit), ["guarantee"] = JupyterHubBytes("mem_guarantee", profile.MemGuarantee) },
            ["cpu"] = new Dictionary<string, object?> { ["limit"] = profile.CpuLimit, ["guarantee"] = profile.CpuGuarantee },
            ["storage"] = ChartStorage.Of(profile),
            ["defaultUrl"] = profile.DefaultUrl,
            ["extraLabels"] = Labels(profile),
            // The metadata-blocking init container needs privileges and a network-tools image: neither is the subject here.
            ["cloudMetadata"] = new Dictionary<string, object?> { ["blockWithIptables"] = false },
            ["networkPolicy"] = new Dictionary<string, object?> { ["enabled"] = false },
            ["startTimeout"] = 180,
        };
        if (ChartFiles.Of(profile) is { Count: > 0 } files)
        {
            singleuser["extraFiles"] = files;
        }
        if (profile.PostStart is not null)
        {
            // Lifecycle hooks are not formatted by KubeSpawner: written as they are.
            singleuser["lifecycleHooks"] = new Dictionary<string, object?>
            {
                ["postStart"] = new Dictionary<string, object?> { ["exec"] = new Dictionary<string, object?> { ["command"] = profile.PostStart.ToList() } },
            };
        }
        if (profile.InitContainers.Count > 0)
        {
            singleuser["initContainers"] = profile.InitContainers.Select(c => InitContainer(c, profile, $"{imageName}:{imageTag}")).ToList();
        }
        if (profile.Init)
        {
            singleuser["extraPodConfig"] = new Dictionary<string, object?> { ["shareProcessNamespace"] = true };
        }
        if (InitControlProfile.ProfileList(profile) is { } profiles)
        {
            // The cell's launch is the default profile; the incident's control is a second one.
            singleuser["profileList"] = profiles;
        }
        return singleuser;
    }

    /// <summary>The profile's labels and the one the docker tier adds (org.kernelregression.profile), over the chart's extraLabels.</summary>
    private static Dictionary<string, object?> Labels(LaunchProfile profile)
    {
        var labels = profile.Labels.ToDictionary(l => l.Key, l => (object?)Literal(l.Value));
        labels["org.kernelregression.profile"] = Literal(profile.Name);
        return labels;
    }

    private static Dictionary<string, object?> InitContainer(LaunchInitContainer c, LaunchProfile profile, string cellImage)
    {
        var container = new Dictionary<string, object?>
        {
            ["name"] = Literal(c.Name),
            ["image"] = Literal(c.Image ?? cellImage),
        };
        if (c.Command is not null)
        {
            container["command"] = c.Command.Select(Literal).ToList();
        }
        if (c.Args is not null)
        {
            container["args"] = c.Args.Select(Literal).ToList();
        }
        if (c.Env.Count > 0)
        {
            container["env"] = c.Env.Select(e => new Dictionary<string, object?> { ["name"] = Literal(e.Key), ["value"] = Literal(e.Value) }).ToList();
        }
        if (c.VolumeMounts.Count > 0)
        {
            container["volumeMounts"] = c.VolumeMounts.Select(m => ChartStorage.Mount(m, profile)).ToList();
        }
        var security = new Dictionary<string, object?>();
        if (c.Uid is not null)
        {
            security["runAsUser"] = c.Uid;
        }
        if (c.Gid is not null)
        {
            security["runAsGroup"] = c.Gid;
        }
        if (security.Count > 0)
        {
            container["securityContext"] = security;
        }
        return container;
    }

    /// <summary>A string KubeSpawner formats (str.format with the user's fields) that must reach the pod as written.</summary>
    public static string Literal(string s) => s.Replace("{", "{{", StringComparison.Ordinal).Replace("}", "}}", StringComparison.Ordinal);

    /// <summary>
    /// A profile size (bytes, or a number with K/M/G/T, or Ki/Mi/Gi/Ti) as JupyterHub's ByteSpecification
    /// takes it: bytes as a number, else a number with K, M, G or T, which it reads as powers of 1024
    /// (jupyterhub/traitlets.py), so Mi and M are the same size there; "1Gi" itself it refuses.
    /// </summary>
    public static object? JupyterHubBytes(string field, string? size)
    {
        if (size is null)
        {
            return null;
        }
        if (long.TryParse(size, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var bytes))
        {
            return bytes;
        }
        var text = size.EndsWith('i') ? size[..^1] : size;
        if (text.Length < 2 || "KMGT".IndexOf(text[^1], StringComparison.Ordinal) < 0)
        {
            throw new HarnessException($"launch profile field {field} '{size}' cannot be written as a JupyterHub size",
                "write it as bytes or with K, M, G or T (powers of 1024), e.g. 512M or 1G");
        }
        return text;
    }

    public static (string Name, string Tag) SplitImage(string image)
    {
        var at = image.IndexOf('@', StringComparison.Ordinal);
        var slash = image.LastIndexOf('/');
        var colon = image.LastIndexOf(':');
        if (at < 0 && colon > slash)
        {
            return (image[..colon], image[(colon + 1)..]);
        }
        return (image, "latest");
    }
}
