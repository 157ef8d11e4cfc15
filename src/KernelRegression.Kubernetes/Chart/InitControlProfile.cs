using System.Text.Json.Nodes;
using KernelRegression.Matrix;

namespace KernelRegression.Kubernetes.Chart;

/// <summary>
/// The incident's control on the kind tier, as chart values: `singleuser.profileList` gets two entries,
/// the cell's own launch as the default profile (no override) and the control, whose
/// kubespawner_override sets `extra_pod_config.shareProcessNamespace: true`: the pod's pause container
/// is PID 1, so the server is not (Kubernetes' nearest thing to docker --init). KubeSpawner gives a spawn
/// whose user_options name no profile the default one (`_get_profile`, kubespawner/spawner.py), so the
/// cell's spawn, which sends none, gets its pod unchanged; the control's spawn sends
/// <see cref="UserOptions"/>. `_apply_overrides` merges a dict override into the chart's
/// `singleuser.extraPodConfig`, so nothing else of the pod changes (the golden pods show both).
/// A launch with an init already has no control, and no list.
/// </summary>
public static class InitControlProfile
{
    /// <summary>The default profile: the cell's launch as the chart values render it.</summary>
    public const string CellSlug = "kr-cell";

    /// <summary>The control's profile: the same pod with a shared process namespace.</summary>
    public const string Slug = "kr-init-control";

    /// <summary>How the control's init is PID 1, for its name in the evidence.</summary>
    public const string InitAsPid1 = "shareProcessNamespace: the pod's pause container";

    /// <summary>Whether the values of <paramref name="launch"/> carry the control's profile.</summary>
    public static bool Offered(LaunchProfile launch) => !launch.Init;

    /// <summary>singleuser.profileList for <paramref name="launch"/>, or null where it has an init already.</summary>
    public static List<object?>? ProfileList(LaunchProfile launch) => Offered(launch)
        ?
        [
            new Dictionary<string, object?>
            {
                ["display_name"] = $"the cell's launch ({launch.Name})",
                ["slug"] = CellSlug,
                ["default"] = true,
            },
            new Dictionary<string, object?>
            {
                ["display_name"] = $"the incident's control: {launch.Name} with the pod's pause container as PID 1",
                ["slug"] = Slug,
                ["kubespawner_override"] = new Dictionary<string, object?>
                {
                    ["extra_pod_config"] = new Dictionary<string, object?> { ["shareProcessNamespace"] = true },
                },
            },
        ]
        : null;

    /// <summary>What the control's spawn asks the hub for (the REST API's body: KubeSpawner's user_options).</summary>
    public static JsonObject UserOptions() => new() { ["profile"] = Slug };
}
