using KernelRegression.Matrix;
using KernelRegression.Kubernetes.Cluster;
using YamlDotNet.Serialization;

namespace KernelRegression.Kubernetes.Chart;

/// <summary>
/// The values file `helm upgrade --install` gets for one cell: the harness' service and role, NodePort
/// access, the hub image, and the single-user pod from a <see cref="LaunchProfile"/>.
///
/// How a profile's launch maps onto KubeSpawner (see docs/kubernetes.md):
/// - args (Kubernetes `args`, image ENTRYPOINT kept): singleuser.cmd. Since kubespawner PR 38 the
///   spawner's cmd (plus get_args()) becomes the container's `args`, never its `command`.
/// - command (Kubernetes `command`, ENTRYPOINT replaced and CMD dropped, the 2017 incident's launch,
///   kubespawner PR 34): no chart key reaches it, so it goes through KubeSpawner.extra_container_config
///   (merged into the notebook container) as hub.config.KubeSpawner.extra_container_config.command,
///   with singleuser.cmd null so no `args` follow.
/// - neither: singleuser.cmd null: the image's ENTRYPOINT and CMD run.
/// - init: Kubernetes has no `docker --init`; shareProcessNamespace makes the pod's pause process PID 1
///   (it reaps zombies), so the server is not PID 1, which is what the docker-init profile is about.
/// - read_only_root: KubeSpawner.container_security_context, which make_pod merges over the
///   runAsUser/runAsGroup/allowPrivilegeEscalation it builds from uid, gid and
///   allow_privilege_escalation. (extra_container_config.securityContext would replace them whole:
///   update_k8s_model sets the attribute.)
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
        var kubeSpawner = new Dictionary<string, object?>();
        var container = new Dictionary<string, object?>();
        if (profile.Command is not null)
        {
            container["command"] = profile.Command.ToList();
        }
        if (container.Count > 0)
        {
            kubeSpawner["extra_container_config"] = container;
        }
        if (profile.ReadOnlyRoot)
        {
            kubeSpawner["container_security_context"] = new Dictionary<string, object?> { ["readOnlyRootFilesystem"] = true };
        }
        if (profile.WorkingDir is not null)
        {
            kubeSpawner["working_dir"] = profile.WorkingDir;
        }
        if (profile.Gid is not null)
        {
            kubeSpawner["gid"] = profile.Gid;
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
        if (kubeSpawner.Count > 0)
        {
            config["KubeSpawner"] = kubeSpawner;
        }

        var singleuser = new Dictionary<string, object?>
        {
            ["image"] = new Dictionary<string, object?> { ["name"] = suName, ["tag"] = suTag, ["pullPolicy"] = "IfNotPresent" },
            // null keeps the image's CMD; a list becomes the container's args (kubespawner PR 38).
            ["cmd"] = profile.Args?.ToList(),
            ["extraEnv"] = new Dictionary<string, string>(profile.Env.OrderBy(e => e.Key, StringComparer.Ordinal)),
            ["uid"] = profile.Uid,
            ["fsGid"] = profile.Gid,
            ["memory"] = new Dictionary<string, object?> { ["limit"] = profile.MemLimit, ["guarantee"] = null },
            ["cpu"] = new Dictionary<string, object?> { ["limit"] = profile.CpuLimit, ["guarantee"] = null },
            ["storage"] = new Dictionary<string, object?> { ["type"] = "none" },
            // The metadata-blocking init container needs privileges and a network-tools image: neither is the subject here.
            ["cloudMetadata"] = new Dictionary<string, object?> { ["blockWithIptables"] = false },
            ["networkPolicy"] = new Dictionary<string, object?> { ["enabled"] = false },
            ["startTimeout"] = 180,
        };
        if (profile.Init)
        {
            singleuser["extraPodConfig"] = new Dictionary<string, object?> { ["shareProcessNamespace"] = true };
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
            ["singleuser"] = singleuser,
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
