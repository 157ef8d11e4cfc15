using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using KernelRegression.Matrix;

namespace KernelRegression.Deployments;

/// <summary>One launch setting that differs, and the values key that set it (after, else before).</summary>
public sealed record SettingChange(string Field, string Before, string After, string? Source)
{
    public override string ToString() => $"{Field}: {Before} → {After}{(Source is null ? "" : $" ({Source})")}";
}

/// <summary>A cell's launch between two revisions; Before or After is null when the cell is new or gone.</summary>
public sealed record CellChange(string Key, ValuesCell? Before, ValuesCell? After, IReadOnlyList<SettingChange> Changes)
{
    public override string ToString() => (Before, After) switch
    {
        (null, _) => $"{Key}: new cell",
        (_, null) => $"{Key}: cell removed",
        _ => $"{Key}: " + string.Join("; ", Changes),
    };
}

/// <summary>
/// What changed in the launch between two translations of the values, setting by setting (the
/// command, an environment variable, a limit, a mount), with the key that set it: the answer to
/// "what did this commit change for the students' servers", not a YAML diff.
/// </summary>
public static class LaunchDiff
{
    /// <summary>Cells matched by their id without the values label; only cells with changes (or new, or gone).</summary>
    public static IReadOnlyList<CellChange> Between(IReadOnlyList<ValuesCell> before, IReadOnlyList<ValuesCell> after)
    {
        var a = before.ToDictionary(c => c.Key, StringComparer.Ordinal);
        var b = after.ToDictionary(c => c.Key, StringComparer.Ordinal);
        var changes = new List<CellChange>();
        foreach (var key in a.Keys.Concat(b.Keys.Where(k => !a.ContainsKey(k))))
        {
            var (x, y) = (a.GetValueOrDefault(key), b.GetValueOrDefault(key));
            var settings = x is null || y is null ? [] : Between(x, y);
            if (x is null || y is null || settings.Count > 0)
            {
                changes.Add(new CellChange(key, x, y, settings));
            }
        }
        return changes;
    }

    public static IReadOnlyList<SettingChange> Between(ValuesCell before, ValuesCell after)
    {
        var a = Fields(before);
        var b = Fields(after);
        return a.Keys.Concat(b.Keys.Where(k => !a.ContainsKey(k)))
            .Where(k => a.GetValueOrDefault(k, "unset") != b.GetValueOrDefault(k, "unset"))
            .Select(k => new SettingChange(k, a.GetValueOrDefault(k, "unset"), b.GetValueOrDefault(k, "unset"),
                after.Sources.GetValueOrDefault(k) ?? before.Sources.GetValueOrDefault(k)))
            .ToList();
    }

    /// <summary>A cell's launch as flat fields: field → value as text ("unset" when absent).</summary>
    public static IReadOnlyDictionary<string, string> Fields(ValuesCell cell)
    {
        var p = cell.Launch;
        var d = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["image"] = cell.Image.ToString(),
            ["command"] = p.Command is null ? "unset (the image's ENTRYPOINT)" : List(p.Command),
            ["args"] = p.Args is null ? "unset (the image's CMD)" : List(p.Args),
            ["uid"] = Text(p.Uid) ?? "unset (the image's USER)",
            ["gid"] = Text(p.Gid) ?? "unset",
            ["fs_gid"] = Text(p.FsGid) ?? "unset",
            ["working_dir"] = p.WorkingDir ?? "unset (the image's WORKDIR)",
            ["init"] = p.Init ? "true" : "false",
            ["mem_limit"] = Size(p.MemLimit),
            ["mem_guarantee"] = Size(p.MemGuarantee),
            ["cpu_limit"] = Text(p.CpuLimit) ?? "unset",
            ["cpu_guarantee"] = Text(p.CpuGuarantee) ?? "unset",
            ["read_only_root"] = p.ReadOnlyRoot ? "true" : "false",
            ["allow_privilege_escalation"] = p.AllowPrivilegeEscalation switch { null => "unset", true => "true", false => "false" },
            ["storage"] = p.Storage is null ? "unset" : $"{p.Storage.Type} at {p.Storage.HomeMountPath}{(p.Storage.StaticSubPath is null ? "" : $" (subPath {p.Storage.StaticSubPath})")}",
            ["post_start"] = p.PostStart is null ? "unset" : List(p.PostStart),
            ["default_url"] = p.DefaultUrl ?? "unset",
        };
        foreach (var (k, v) in p.Env)
        {
            d[$"env.{k}"] = v;
        }
        foreach (var v in p.Volumes)
        {
            d[$"volumes.{v.Name}"] = $"{v.Type}{(v.Files is null ? "" : $" with {v.Files.Count} files ({Digest(string.Join("\0", v.Files.Select(f => f.Key + "\0" + f.Value)))})")}";
        }
        foreach (var m in p.VolumeMounts)
        {
            d[$"volume_mounts[{m.MountPath}]"] = $"{m.Name}{(m.SubPath is null ? "" : $" subPath {m.SubPath}")}{(m.ReadOnly ? " read-only" : "")}";
        }
        foreach (var f in p.ExtraFiles)
        {
            d[$"extra_files[{f.MountPath}]"] = $"mode {Convert.ToString(f.Mode, 8)}, {f.Content.Length} chars ({Digest(f.Content)})";
        }
        foreach (var c in p.InitContainers)
        {
            d[$"init_containers.{c.Name}"] = $"image {c.Image ?? "(the cell's)"}, command {(c.Command is null ? "unset" : List(c.Command))}, args {(c.Args is null ? "unset" : List(c.Args))}"
                + $", uid {Text(c.Uid) ?? "unset"}, mounts [{string.Join(", ", c.VolumeMounts.Select(m => $"{m.Name}:{m.MountPath}"))}]"
                + (c.Env.Count == 0 ? "" : $", env {string.Join(", ", c.Env.Select(e => $"{e.Key}={e.Value}"))}");
        }
        foreach (var (k, v) in p.Labels)
        {
            d[$"labels.{k}"] = v;
        }
        foreach (var n in cell.NotApplied)
        {
            d[$"not applied: {n.Key}"] = n.Why;
        }
        return d;
    }

    private static string List(List<string> l) => "[" + string.Join(", ", l) + "]";

    private static string? Text<T>(T? v) where T : struct, IFormattable => v?.ToString(null, CultureInfo.InvariantCulture);

    private static string Size(string? bytes) =>
        bytes is null ? "unset" : long.TryParse(bytes, NumberStyles.None, CultureInfo.InvariantCulture, out var b) ? ByteSize.Human(b) : bytes;

    private static string Digest(string s) => "sha256:" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(s)))[..12];
}
