using System.Globalization;
using KernelRegression.Matrix;

namespace KernelRegression.Bisect;

/// <summary>What changed between the last good and the first bad value: field by field, "field: old → new".</summary>
public static class CandidateDiff
{
    public static IReadOnlyList<string> Between(BisectAxis axis, BisectCandidate good, BisectCandidate bad) => axis switch
    {
        BisectAxis.Image => Fields(Image(good.Image), Image(bad.Image)),
        BisectAxis.Hub => Fields(Hub(good.Hub), Hub(bad.Hub)),
        _ => Profiles(good.Profile, bad.Profile),
    };

    /// <summary>The launch fields that differ (name and description are labels, not launch settings).</summary>
    public static IReadOnlyList<string> Profiles(LaunchProfile good, LaunchProfile bad) => Fields(Profile(good), Profile(bad));

    private static List<string> Fields(IReadOnlyDictionary<string, string> a, IReadOnlyDictionary<string, string> b) =>
        a.Keys.Union(b.Keys)
            .Where(k => a.GetValueOrDefault(k, "unset") != b.GetValueOrDefault(k, "unset"))
            .Select(k => $"{k}: {a.GetValueOrDefault(k, "unset")} → {b.GetValueOrDefault(k, "unset")}")
            .ToList();

    private static Dictionary<string, string> Profile(LaunchProfile p)
    {
        var d = new Dictionary<string, string>
        {
            ["command"] = List(p.Command),
            ["args"] = List(p.Args),
            ["uid"] = p.Uid?.ToString(CultureInfo.InvariantCulture) ?? "null",
            ["gid"] = p.Gid?.ToString(CultureInfo.InvariantCulture) ?? "null",
            ["working_dir"] = p.WorkingDir ?? "null",
            ["init"] = p.Init ? "true" : "false",
            ["mem_limit"] = p.MemLimit ?? "null",
            ["cpu_limit"] = p.CpuLimit?.ToString(CultureInfo.InvariantCulture) ?? "null",
            ["read_only_root"] = p.ReadOnlyRoot ? "true" : "false",
        };
        foreach (var (k, v) in p.Env)
        {
            d[$"env.{k}"] = v;
        }
        return d;
    }

    private static Dictionary<string, string> Image(ImageSpec i) => new()
    {
        ["suite"] = i.Suite ?? "null", ["stack"] = i.Stack, ["init"] = i.Init, ["kernel_patch"] = i.KernelPatch, ["ref"] = i.Ref ?? "null",
    };

    private static Dictionary<string, string> Hub(HubSpec h) => new()
    {
        ["suite"] = h.Suite, ["chart"] = h.Chart ?? "null", ["kubespawner"] = h.KubeSpawner ?? "null",
    };

    private static string List(List<string>? l) => l is null ? "null" : "[" + string.Join(", ", l) + "]";
}
