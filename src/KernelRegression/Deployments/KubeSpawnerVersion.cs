using System.Text.RegularExpressions;

namespace KernelRegression.Deployments;

/// <summary>
/// Which KubeSpawner's behaviour the translation follows. Every release puts the spawner's cmd
/// into the container's `args` (kubespawner PR 38, March 2017, before the first tag); between PR 34
/// and PR 38 (git installs only, the seed incident's deployment) it went into `command`, replacing
/// the image's ENTRYPOINT and dropping its CMD. The major version also decides trait types
/// (7.0: volumes, init_containers … may be dicts).
/// </summary>
public sealed partial record KubeSpawnerVersion(string Name, bool CmdIsCommand, int Major)
{
    /// <summary>KubeSpawner 7.0.0, pinned by z2jh 4.2.0.</summary>
    public static KubeSpawnerVersion Default { get; } = new("7.0.0", false, 7);

    /// <summary>The KubeSpawner a Zero to JupyterHub chart version pins (images/hub/requirements.txt): 3.3.8 → 6.2.0, 4.2.0 → 7.0.0.</summary>
    public static KubeSpawnerVersion PinnedBy(string chart) => chart == "3.3.8" ? new("6.2.0", false, 6) : Default;

    /// <summary>The unreleased behaviour between kubespawner PR 34 and PR 38.</summary>
    public static KubeSpawnerVersion PrePr38 { get; } = new("pre-pr38", true, 0);

    /// <summary>A release (6.2.0, 7.0.0, …), or pre-pr38 / pr34 for cmd as the pod's command.</summary>
    public static KubeSpawnerVersion Parse(string? text)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return Default;
        }
        var t = text.Trim().ToLowerInvariant();
        if (t is "pre-pr38" or "pr34" or "pr-34")
        {
            return PrePr38 with { Name = t };
        }
        var m = Release().Match(t);
        if (!m.Success)
        {
            throw new HarnessException($"--kubespawner '{text}' is not a KubeSpawner version",
                "give a release (6.2.0, 7.0.0) or pre-pr38 for the 2017 behaviour that put the spawner's cmd into the pod's command");
        }
        return new KubeSpawnerVersion(t.TrimStart('v'), false, int.Parse(m.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture));
    }

    public override string ToString() => CmdIsCommand ? $"kubespawner {Name} (cmd → command)" : $"kubespawner {Name} (cmd → args)";

    [GeneratedRegex(@"^v?(\d+)\.\d+(\.\d+)?([.+-].*)?$")]
    private static partial Regex Release();
}
