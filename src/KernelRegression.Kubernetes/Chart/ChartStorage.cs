using KernelRegression.Matrix;

namespace KernelRegression.Kubernetes.Chart;

/// <summary>
/// A launch profile's home and volumes as singleuser.storage: the home volume (none, or dynamic, a
/// PersistentVolumeClaim per user from the cluster's default StorageClass) and extraVolumes /
/// extraVolumeMounts. What chart values cannot make is refused, naming the field.
/// </summary>
public static class ChartStorage
{
    /// <summary>
    /// The chart's name for the home volume when a mount refers to it ("home" in a profile): static
    /// storage calls it home; dynamic storage names it by volumeNameTemplate, which the values set to
    /// home then (the chart's default differs: volume-{username}{servername} in 3.3.8, volume-{user_server} in 4.2.0).
    /// </summary>
    public const string HomeVolume = "home";

    public static Dictionary<string, object?> Of(LaunchProfile profile)
    {
        var storage = new Dictionary<string, object?>();
        var home = profile.Storage ?? new HomeStorage { Type = HomeStorage.Dynamic };
        switch (home.Type)
        {
            case HomeStorage.None:
                storage["type"] = "none";
                break;
            case HomeStorage.Dynamic:
                storage["type"] = "dynamic";
                storage["homeMountPath"] = home.HomeMountPath;
                if (MountsHome(profile))
                {
                    storage["dynamic"] = new Dictionary<string, object?> { ["volumeNameTemplate"] = HomeVolume };
                }
                break;
            case HomeStorage.Static:
                throw new HarnessException($"launch profile {profile.Name}: storage type static cannot be expressed in chart values for a kind cluster",
                    "the chart's static storage mounts an existing PersistentVolumeClaim (singleuser.storage.static.pvcName), which a kind cluster made for one cell does not have; use dynamic or none");
            default:
                throw new HarnessException($"launch profile {profile.Name}: storage type '{home.Type}' is not one of none, dynamic, static", "fix the profile's storage.type");
        }
        var volumes = profile.Volumes.Select(v => Volume(v, profile)).ToList();
        if (volumes.Count > 0)
        {
            storage["extraVolumes"] = volumes;
        }
        if (profile.VolumeMounts.Count > 0)
        {
            storage["extraVolumeMounts"] = profile.VolumeMounts.Select(m => Mount(m, profile)).ToList();
        }
        return storage;
    }

    /// <summary>
    /// Chart 4 writes the dynamic home volume with KubeSpawner 7's fields: volume `volume-{user_server}`,
    /// claim `{pvc_name}` (jupyterhub_config.py at 4.2.0). KubeSpawner 6 has neither field and refuses
    /// every pod (KeyError 'user_server', seen in fixtures/deployments/golden/kind/hub-z2jh-4-ks6 before
    /// this). On such a hub the home volume and its mount are set whole in hub.config.KubeSpawner, which
    /// the chart applies last, with KubeSpawner 6's own claim name; extra volumes and files, which the
    /// chart would have appended to the replaced lists, cannot be expressed there and are refused.
    /// </summary>
    public static IReadOnlyDictionary<string, object?> KubeSpawnerSixHome(ChartSpec chart, LaunchProfile profile)
    {
        var home = profile.Storage ?? new HomeStorage { Type = HomeStorage.Dynamic };
        var kubeSpawnerMajor = int.TryParse(chart.EffectiveKubeSpawner?.Split('.')[0], out var m) ? m : 0;
        if (chart.Major < 4 || kubeSpawnerMajor >= 7 || home.Type != HomeStorage.Dynamic)
        {
            return new Dictionary<string, object?>();
        }
        if (profile.Volumes.Count > 0 || profile.VolumeMounts.Count > 0 || profile.ExtraFiles.Count > 0)
        {
            throw new HarnessException($"launch profile {profile.Name}: volumes, volume_mounts and extra_files cannot be expressed with a dynamic home on chart {chart.Chart} with KubeSpawner {chart.EffectiveKubeSpawner}",
                "the home volume has to be set whole in hub.config.KubeSpawner there (the chart's uses KubeSpawner 7 fields), which drops the chart's extra volumes and files; use storage none, or a hub with KubeSpawner 7");
        }
        return new Dictionary<string, object?>
        {
            ["volumes"] = new List<object?>
            {
                new Dictionary<string, object?> { ["name"] = HomeVolume, ["persistentVolumeClaim"] = new Dictionary<string, object?> { ["claimName"] = KubeSpawnerSixClaim } },
            },
            ["volume_mounts"] = new List<object?>
            {
                new Dictionary<string, object?> { ["name"] = HomeVolume, ["mountPath"] = ChartValues.Literal(home.HomeMountPath) },
            },
        };
    }

    /// <summary>KubeSpawner 6.2.0's default pvc_name_template: the claim it makes is the one the volume names.</summary>
    public const string KubeSpawnerSixClaim = "claim-{username}--{servername}";

    private static bool MountsHome(LaunchProfile profile) =>
        profile.VolumeMounts.Concat(profile.InitContainers.SelectMany(c => c.VolumeMounts)).Any(m => m.Name == HomeVolume);

    private static Dictionary<string, object?> Volume(LaunchVolume v, LaunchProfile profile)
    {
        if (v.Name == HomeVolume)
        {
            throw new HarnessException($"launch profile {profile.Name}: volume '{v.Name}' has the home volume's name", "rename the volume: 'home' names the profile's storage");
        }
        if (v.Type == "emptyDir")
        {
            return new Dictionary<string, object?> { ["name"] = ChartValues.Literal(v.Name), ["emptyDir"] = new Dictionary<string, object?>() };
        }
        // configMap/secret volumes carry their files in the profile; the chart creates no such object (only extraFiles' Secret).
        throw new HarnessException($"launch profile {profile.Name}: volume '{v.Name}' of type {v.Type} cannot be expressed in chart values",
            v.Type is "configMap" or "secret"
                ? "the chart creates no ConfigMap or Secret from values for a user volume; put the files in extra_files (singleuser.extraFiles)"
                : "a hostPath names a path on the kind node, not on this machine; use emptyDir, or extra_files for content");
    }

    public static Dictionary<string, object?> Mount(LaunchVolumeMount m, LaunchProfile profile)
    {
        var mount = new Dictionary<string, object?> { ["name"] = ChartValues.Literal(m.Name), ["mountPath"] = ChartValues.Literal(m.MountPath) };
        if (m.SubPath is not null)
        {
            // A subPath is a template of the user's fields for KubeSpawner as for the docker tier's spawner ({username}…).
            mount["subPath"] = m.SubPath;
        }
        if (m.ReadOnly)
        {
            mount["readOnly"] = true;
        }
        if (m.Name == HomeVolume && profile.Storage?.Type == HomeStorage.None)
        {
            throw new HarnessException($"launch profile {profile.Name}: a mount at {m.MountPath} names the home volume, and storage is none", "use dynamic storage, or mount another volume");
        }
        return mount;
    }
}
