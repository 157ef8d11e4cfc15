namespace KernelRegression.Deployments;

/// <summary>
/// What a Zero to JupyterHub chart version knows about `singleuser`: its keys and their types (the
/// chart refuses any other: `additionalProperties: false`) and its defaults. Derived by hand from
/// jupyterhub/zero-to-jupyterhub-k8s at tags 3.3.8 and 4.2.0: jupyterhub/values.schema.yaml
/// (properties.singleuser, walked recursively; the two versions differ only by
/// storage.dynamic.subPath, new in 4.x) and jupyterhub/values.yaml (the singleuser block; the image
/// tag "set-by-chartpress" is the chart version in a released chart).
/// </summary>
public sealed class Z2jhChart
{
    public static readonly IReadOnlyList<string> Versions = ["3.3.8", "4.2.0"];

    public string Version { get; }
    internal SchemaNode Singleuser { get; }
    internal OrderedDictionary<string, object?> SingleuserDefaults { get; }

    /// <summary>The section's own top-level keys and hub's keys (values.schema.yaml properties, both versions).</summary>
    internal static readonly string[] TopKeys =
        ["cull", "custom", "debug", "enabled", "fullnameOverride", "global", "hub", "imagePullSecret", "imagePullSecrets", "ingress",
         "nameOverride", "prePuller", "proxy", "rbac", "scheduling", "singleuser"];

    internal static readonly string[] HubKeys =
        ["activeServerLimit", "allowNamedServers", "annotations", "args", "authenticatePrometheus", "baseUrl", "command",
         "concurrentSpawnLimit", "config", "consecutiveFailureLimit", "containerSecurityContext", "cookieSecret", "db",
         "deploymentStrategy", "existingSecret", "extraConfig", "extraContainers", "extraEnv", "extraFiles", "extraPodSpec",
         "extraVolumeMounts", "extraVolumes", "fsGid", "image", "initContainers", "labels", "lifecycle", "livenessProbe",
         "loadRoles", "namedServerLimitPerUser", "networkPolicy", "nodeSelector", "pdb", "podSecurityContext", "readinessProbe",
         "redirectToServer", "resources", "revisionHistoryLimit", "service", "serviceAccount", "services", "shutdownOnLogout",
         "templatePaths", "templateVars", "tolerations"];

    private Z2jhChart(string version)
    {
        Version = version;
        Singleuser = SchemaNode.Parse(version == "3.3.8"
            ? SingleuserSchema.Replace("storage.dynamic.subPath string|null\n", "", StringComparison.Ordinal)
            : SingleuserSchema);
        var defaults = (version == "3.3.8" ? Defaults338 : Defaults420).Replace("{chart}", version, StringComparison.Ordinal);
        SingleuserDefaults = ValuesTree.AsMap(ValuesYaml.Parse(new ValuesSource($"z2jh {version} values.yaml", defaults)).Root["singleuser"])!;
    }

    private static readonly Dictionary<string, Z2jhChart> Cache = [];

    public static Z2jhChart Of(string version)
    {
        if (!Versions.Contains(version))
        {
            throw new HarnessException($"unknown Zero to JupyterHub chart version '{version}'",
                $"use one of {string.Join(", ", Versions)} (the versions whose schema and defaults the suite carries)");
        }
        lock (Cache)
        {
            return Cache.TryGetValue(version, out var c) ? c : Cache[version] = new Z2jhChart(version);
        }
    }

    // path, then the JSON schema types ("map": an object that takes any keys; "*": any key's value).
    private const string SingleuserSchema = """
        allowPrivilegeEscalation boolean|null
        cloudMetadata object
        cloudMetadata.blockWithIptables boolean
        cloudMetadata.ip string
        cmd array|string|null
        cpu object
        cpu.guarantee number|null
        cpu.limit number|null
        defaultUrl string|null
        events boolean|null
        extraAnnotations object
        extraAnnotations.* string
        extraContainers array
        extraEnv map|array
        extraFiles object
        extraFiles.* object
        extraFiles.*.binaryData string
        extraFiles.*.data map
        extraFiles.*.mode number
        extraFiles.*.mountPath string
        extraFiles.*.stringData string
        extraLabels object
        extraLabels.* string
        extraNodeAffinity object
        extraNodeAffinity.preferred array
        extraNodeAffinity.required array
        extraPodAffinity object
        extraPodAffinity.preferred array
        extraPodAffinity.required array
        extraPodAntiAffinity object
        extraPodAntiAffinity.preferred array
        extraPodAntiAffinity.required array
        extraPodConfig map
        extraResource object
        extraResource.guarantees map
        extraResource.limits map
        extraTolerations array
        fsGid integer|null
        image object
        image.name string
        image.pullPolicy enum(null,,IfNotPresent,Always,Never)
        image.pullSecrets array
        image.tag string
        initContainers array
        lifecycleHooks object
        lifecycleHooks.postStart map
        lifecycleHooks.preStop map
        memory object
        memory.guarantee number|string|null
        memory.limit number|string|null
        networkPolicy object
        networkPolicy.allowedIngressPorts array
        networkPolicy.egress array
        networkPolicy.egressAllowRules object
        networkPolicy.egressAllowRules.cloudMetadataServer boolean
        networkPolicy.egressAllowRules.dnsPortsCloudMetadataServer boolean
        networkPolicy.egressAllowRules.dnsPortsKubeSystemNamespace boolean
        networkPolicy.egressAllowRules.dnsPortsPrivateIPs boolean
        networkPolicy.egressAllowRules.nonPrivateIPs boolean
        networkPolicy.egressAllowRules.privateIPs boolean
        networkPolicy.enabled boolean
        networkPolicy.ingress array
        networkPolicy.interNamespaceAccessLabels enum(accept,ignore)
        networkTools object
        networkTools.image object
        networkTools.image.name string
        networkTools.image.pullPolicy enum(null,,IfNotPresent,Always,Never)
        networkTools.image.pullSecrets array
        networkTools.image.tag string
        networkTools.resources map
        nodeSelector map
        podNameTemplate string|null
        profileList array
        serviceAccountName string|null
        startTimeout integer|null
        storage object
        storage.capacity string|null
        storage.dynamic object
        storage.dynamic.pvcNameTemplate string|null
        storage.dynamic.storageAccessModes array
        storage.dynamic.storageClass string|null
        storage.dynamic.subPath string|null
        storage.dynamic.volumeNameTemplate string|null
        storage.extraLabels object
        storage.extraLabels.* string
        storage.extraVolumeMounts array
        storage.extraVolumes array
        storage.homeMountPath string
        storage.static object
        storage.static.pvcName string|null
        storage.static.subPath string|null
        storage.type enum(dynamic,static,none)
        uid integer|null

        """;

    // The singleuser block of values.yaml (comments dropped); {chart} is the chart version.
    private const string Defaults420 = """
        singleuser:
          podNameTemplate:
          extraTolerations: []
          nodeSelector: {}
          extraNodeAffinity: {required: [], preferred: []}
          extraPodAffinity: {required: [], preferred: []}
          extraPodAntiAffinity: {required: [], preferred: []}
          networkTools:
            image: {name: quay.io/jupyterhub/k8s-network-tools, tag: "{chart}", pullPolicy: null, pullSecrets: []}
            resources: {}
          cloudMetadata: {blockWithIptables: true, ip: 169.254.169.254}
          networkPolicy:
            enabled: true
            ingress: []
            egress: []
            egressAllowRules:
              cloudMetadataServer: false
              dnsPortsCloudMetadataServer: true
              dnsPortsKubeSystemNamespace: true
              dnsPortsPrivateIPs: true
              nonPrivateIPs: true
              privateIPs: false
            interNamespaceAccessLabels: ignore
            allowedIngressPorts: []
          events: true
          extraAnnotations: {}
          extraLabels: {hub.jupyter.org/network-access-hub: "true"}
          extraFiles: {}
          extraEnv: {}
          lifecycleHooks: {}
          initContainers: []
          extraContainers: []
          allowPrivilegeEscalation: false
          uid: 1000
          fsGid: 100
          serviceAccountName:
          storage:
            type: dynamic
            extraLabels: {}
            extraVolumes: []
            extraVolumeMounts: []
            static: {pvcName: null, subPath: "{username}"}
            capacity: 10Gi
            homeMountPath: /home/jovyan
            dynamic:
              storageClass:
              pvcNameTemplate:
              volumeNameTemplate: volume-{user_server}
              storageAccessModes: [ReadWriteOnce]
              subPath:
          image: {name: quay.io/jupyterhub/k8s-singleuser-sample, tag: "{chart}", pullPolicy: null, pullSecrets: []}
          startTimeout: 300
          cpu: {limit: null, guarantee: null}
          memory: {limit: null, guarantee: 1G}
          extraResource: {limits: {}, guarantees: {}}
          cmd: jupyterhub-singleuser
          defaultUrl:
          extraPodConfig: {}
          profileList: []
        """;

    private static readonly string Defaults338 = Defaults420
        .Replace("      pvcNameTemplate:\n      volumeNameTemplate: volume-{user_server}\n      storageAccessModes: [ReadWriteOnce]\n      subPath:\n",
                 "      pvcNameTemplate: claim-{username}{servername}\n      volumeNameTemplate: volume-{username}{servername}\n      storageAccessModes: [ReadWriteOnce]\n",
                 StringComparison.Ordinal);
}

/// <summary>One key of the chart's schema: the types it takes and, for a closed object, its keys.</summary>
internal sealed class SchemaNode
{
    public IReadOnlyList<string> Types { get; private init; } = [];
    public Dictionary<string, SchemaNode> Children { get; } = new(StringComparer.Ordinal);
    /// <summary>The schema of any key's value (patternProperties ".*"), when the object takes any key.</summary>
    public SchemaNode? AnyKey { get; private set; }

    /// <summary>A closed object: only the listed keys (additionalProperties: false).</summary>
    public bool Closed => Types.Contains("object");

    public static SchemaNode Parse(string text)
    {
        var root = new SchemaNode { Types = ["object"] };
        foreach (var line in text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var (path, types) = (line[..line.IndexOf(' ', StringComparison.Ordinal)], line[(line.IndexOf(' ', StringComparison.Ordinal) + 1)..]);
            var parts = path.Split('.');
            var node = root;
            foreach (var part in parts[..^1])
            {
                node = part == "*" ? node.AnyKey! : node.Children[part];
            }
            var child = new SchemaNode { Types = types.StartsWith("enum(", StringComparison.Ordinal) ? [types] : types.Split('|') };
            if (parts[^1] == "*")
            {
                node.AnyKey = child;
            }
            else
            {
                node.Children[parts[^1]] = child;
            }
        }
        return root;
    }

    /// <summary>Whether a value has one of this key's types (JSON schema rules: an integer is also a number).</summary>
    public bool Accepts(object? value)
    {
        foreach (var t in Types)
        {
            if (t.StartsWith("enum(", StringComparison.Ordinal))
            {
                var options = t[5..^1].Split(',');
                if (options.Any(o => o == "null" ? value is null : value is string s && s == o))
                {
                    return true;
                }
                continue;
            }
            var ok = t switch
            {
                "null" => value is null,
                "boolean" => value is bool,
                "integer" => value is long || (value is double d && Math.Floor(d) == d),
                "number" => value is long or double,
                "string" => value is string,
                "array" => value is List<object?>,
                "object" or "map" => value is OrderedDictionary<string, object?>,
                _ => false,
            };
            if (ok)
            {
                return true;
            }
        }
        return false;
    }

    public string Expected => string.Join(" or ", Types.Select(t => t switch
    {
        "map" or "object" => "a map",
        "array" => "a list",
        "integer" => "an integer",
        "number" => "a number",
        "string" => "a string",
        "boolean" => "true or false",
        _ when t.StartsWith("enum(", StringComparison.Ordinal) => "one of " + string.Join(", ", t[5..^1].Split(',').Select(o => o.Length == 0 ? "''" : o)),
        _ => t,
    }));
}
