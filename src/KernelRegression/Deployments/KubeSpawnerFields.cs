using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;

namespace KernelRegression.Deployments;

/// <summary>
/// The fields KubeSpawner fills its templates with (kubespawner/spawner.py _expand_user_properties), per
/// version: 6.2.0 escapes names (escapism, safe a-z0-9, '-' + hex for the rest, lowercased); 7.0.0 adds
/// the 'safe' slugs of kubespawner/slugs.py (a DNS label kept, else dashed and hashed), the escaped
/// ones, user_server, pod_name, pvc_name and namespace, and chooses username/servername/user_server by
/// slug_scheme. The namespace is KubeSpawner's outside a cluster ("default"; hubnamespace "user" then).
/// The docker tier's spawner (fixtures/hub/kr_container_spawner.py) fills the same fields at spawn.
/// </summary>
internal sealed partial record KubeSpawnerFields(KubeSpawnerVersion Version, string SlugScheme, string PodNameTemplate, string PvcNameTemplate, string Namespace)
{
    public static readonly IReadOnlyList<string> Fields6 =
        ["userid", "username", "unescaped_username", "legacy_escape_username", "servername", "unescaped_servername", "hubnamespace"];

    public static readonly IReadOnlyList<string> Fields7 =
        ["userid", "unescaped_username", "unescaped_servername", "hubnamespace", "username", "servername", "user_server", "safe_username",
         "safe_servername", "safe_user_server", "escaped_username", "escaped_servername", "escaped_user_server", "pod_name", "pvc_name", "namespace"];

    /// <summary>KubeSpawner's own defaults for a version (pod_name_template, pvc_name_template, slug_scheme).</summary>
    public static KubeSpawnerFields Defaults(KubeSpawnerVersion version) => version.Major is > 0 and < 7
        ? new(version, "escape", "jupyter-{username}--{servername}", "claim-{username}--{servername}", "default")
        : new(version, "safe", "jupyter-{user_server}", "claim-{user_server}", "default");

    public IReadOnlyList<string> Names => Version.Major is > 0 and < 7 ? Fields6 : Fields7;

    /// <summary>The fields for one user and server name, as the version computes them.</summary>
    public IReadOnlyDictionary<string, object> For(string user, string server, long userId)
    {
        var hubNamespace = Namespace == "default" ? "user" : Namespace;
        if (Version.Major is > 0 and < 7)
        {
            return new Dictionary<string, object>(StringComparer.Ordinal)
            {
                ["userid"] = userId, ["username"] = Escape(user), ["unescaped_username"] = user,
                ["legacy_escape_username"] = string.Concat(user.ToLowerInvariant().Select(c => IsSafe(c) ? c.ToString() : "-")),
                ["servername"] = Escape(server), ["unescaped_servername"] = server, ["hubnamespace"] = hubNamespace,
            };
        }
        const int max = 48;
        var safeUser = SafeSlug(user, max);
        var safeServer = server.Length > 0 ? SafeSlug(server, max) : "";
        var safeUserServer = safeUser.Length + safeServer.Length + 2 > max ? MultiSlug([user, server], max)
            : server.Length > 0 ? $"{safeUser}--{safeServer}" : safeUser;
        var (escUser, escServer) = (Escape(user), Escape(server));
        var f = new Dictionary<string, object>(StringComparer.Ordinal)
        {
            ["userid"] = userId, ["unescaped_username"] = user, ["unescaped_servername"] = server, ["hubnamespace"] = hubNamespace,
            ["safe_username"] = safeUser, ["safe_servername"] = safeServer, ["safe_user_server"] = safeUserServer,
            ["escaped_username"] = escUser, ["escaped_servername"] = escServer, ["escaped_user_server"] = $"{escUser}--{escServer}",
            ["namespace"] = Namespace,
        };
        (f["username"], f["servername"], f["user_server"]) = SlugScheme == "escape"
            ? (escUser, escServer, escServer.Length > 0 ? $"{escUser}--{escServer}" : escUser)
            : (safeUser, safeServer, safeUserServer);
        // pod_name and pvc_name are themselves templates; while they are computed they are not known yet.
        f["pod_name"] = "pod_name_unavailable!";
        f["pvc_name"] = "pvc_name_unavailable!";
        f["pod_name"] = Fill(PodNameTemplate, f);
        f["pvc_name"] = Fill(PvcNameTemplate, f);
        return f;
    }

    /// <summary>One template filled as _expand_user_properties does: str.format, then a trailing '-' the fields left stripped.</summary>
    public static string Fill(string template, IReadOnlyDictionary<string, object> fields)
    {
        var rendered = StrFormat.Render(template, fields);
        return template.EndsWith('-') ? rendered : rendered.TrimEnd('-');
    }

    // escapism.escape(name, safe=a-z0-9, escape_char='-').lower(): each byte of another character as '-' + hex.
    internal static string Escape(string name)
    {
        var sb = new StringBuilder();
        Span<byte> bytes = stackalloc byte[4];
        foreach (var rune in name.EnumerateRunes())
        {
            if (rune.IsAscii && IsSafe((char)rune.Value))
            {
                sb.Append((char)rune.Value);
                continue;
            }
            var n = rune.EncodeToUtf8(bytes);
            foreach (var b in bytes[..n])
            {
                sb.Append('-').Append(b.ToString("X", CultureInfo.InvariantCulture));
            }
        }
        return sb.ToString().ToLowerInvariant();
    }

    private static bool IsSafe(char c) => c is >= 'a' and <= 'z' or >= '0' and <= '9';

    // kubespawner/slugs.py safe_slug with is_valid_object_name: a DNS label (starts with a letter) of at
    // most max characters without '--' is kept; anything else is stripped and hashed.
    internal static string SafeSlug(string name, int max)
    {
        if (!name.Contains("--", StringComparison.Ordinal) && ObjectName().IsMatch(name) && name.Length <= Math.Min(63, max))
        {
            return name;
        }
        return StripAndHash(name, max);
    }

    private static string StripAndHash(string name, int max)
    {
        var hash = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(name)))[..8];
        return $"{SafeName(name, max - 11)}---{hash}";
    }

    internal static string MultiSlug(IReadOnlyList<string> names, int max)
    {
        var bytes = new List<byte>(Encoding.UTF8.GetBytes(names[0]));
        foreach (var n in names.Skip(1))
        {
            bytes.Add(0xFF);
            bytes.AddRange(Encoding.UTF8.GetBytes(n));
        }
        var hash = Convert.ToHexStringLower(SHA256.HashData([.. bytes]))[..8];
        var perName = (max - 9) / names.Count - 2;
        return $"{string.Join("--", names.Select(n => SafeName(n, perName)))}---{hash}";
    }

    // _extract_safe_name: lowercased, runs of other characters one '-', trimmed, cut, starting with a letter.
    private static string SafeName(string name, int max)
    {
        var s = NonAlphanumeric().Replace(name.ToLowerInvariant(), "-").TrimStart('-');
        s = s[..Math.Min(max, s.Length)].TrimEnd('-');
        if (s.Length > 0 && s[0] is not (>= 'a' and <= 'z'))
        {
            s = "x-" + s[..Math.Min(s.Length, max - 2)];
        }
        return s.Length == 0 ? "x" : s;
    }

    [GeneratedRegex("^[a-z]([a-z0-9-]*[a-z0-9])?$")]
    private static partial Regex ObjectName();

    [GeneratedRegex("[^a-z0-9]+")]
    private static partial Regex NonAlphanumeric();
}
