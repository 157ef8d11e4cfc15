using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;

namespace KernelRegression.Kubernetes.Chart;

/// <summary>
/// KubeSpawner's two ways of making a JupyterHub name safe for Kubernetes, ported so the harness finds
/// the pods KubeSpawner made: the legacy escape (escapism with a-z0-9 safe and '-' as the escape
/// character, then lowercased: KubeSpawner 6, and 7 with slug_scheme 'escape') and the safe slug of
/// KubeSpawner 7 (kubespawner/slugs.py at tag 7.0.0: a valid name is kept, anything else is
/// lowercased, stripped and suffixed with '---' and 8 hex digits of its sha256).
/// </summary>
public static partial class KubeSpawnerSlugs
{
    private const int HashLength = 8;

    /// <summary>escapism.escape(name, safe=a-z0-9, escape_char='-').lower(): every other code point becomes '-' and the hex (uppercase, unpadded) of each of its UTF-8 bytes.</summary>
    public static string EscapeSlug(string name)
    {
        var sb = new StringBuilder();
        Span<byte> utf8 = stackalloc byte[4];
        foreach (var rune in name.EnumerateRunes())
        {
            if (rune.IsAscii && (char)rune.Value is (>= 'a' and <= 'z') or (>= '0' and <= '9'))
            {
                sb.Append((char)rune.Value);
                continue;
            }
            var n = rune.EncodeToUtf8(utf8);
            foreach (var b in utf8[..n])
            {
                // Python's '%X' % byte: uppercase, no zero padding (0x09 is "9").
                sb.Append('-').Append(b.ToString("X", System.Globalization.CultureInfo.InvariantCulture));
            }
        }
        return sb.ToString().ToLowerInvariant();
    }

    /// <summary>slugs.safe_slug: the name when it is valid (and short enough) and has no '--'; otherwise <see cref="StripAndHash"/>.</summary>
    public static string SafeSlug(string name, Func<string, bool>? isValid = null, int? maxLength = null)
    {
        isValid ??= IsValidObjectName;
        if (name.Contains("--", StringComparison.Ordinal))
        {
            return StripAndHash(name, maxLength ?? 32);
        }
        return isValid(name) && (maxLength is null || name.Length <= maxLength) ? name : StripAndHash(name, maxLength ?? 32);
    }

    /// <summary>slugs.is_valid_object_name: 1-63 of a-z0-9 and '-', starting with a letter, ending with a letter or digit.</summary>
    public static bool IsValidObjectName(string s) =>
        s.Length is >= 1 and <= 63 && s[0] is >= 'a' and <= 'z' && IsLowerAlnum(s[^1]) && ObjectPattern().IsMatch(s);

    /// <summary>slugs.is_valid_label: empty, or up to 63 of letters, digits, '.', '-', '_', starting and ending with a letter or digit.</summary>
    public static bool IsValidLabel(string s) =>
        s.Length == 0 || s.Length <= 63 && char.IsAsciiLetterOrDigit(s[0]) && char.IsAsciiLetterOrDigit(s[^1]) && LabelPattern().IsMatch(s);

    /// <summary>slugs.strip_and_hash: a safe prefix of the name, '---', and 8 hex digits of its sha256.</summary>
    public static string StripAndHash(string name, int maxLength = 32)
    {
        var nameLength = maxLength - (HashLength + 3);
        if (nameLength < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(maxLength), $"cannot make safe names shorter than {HashLength + 4}");
        }
        return $"{ExtractSafeName(name, nameLength)}---{Sha256Hex(Encoding.UTF8.GetBytes(name))[..HashLength]}";
    }

    /// <summary>slugs.multi_slug: each name's safe prefix joined by '--', one hash over all (names separated by the byte 0xFF).</summary>
    public static string MultiSlug(IReadOnlyList<string> names, int maxLength = 48)
    {
        var bytes = new List<byte>(Encoding.UTF8.GetBytes(names[0]));
        foreach (var name in names.Skip(1))
        {
            bytes.Add(0xFF);
            bytes.AddRange(Encoding.UTF8.GetBytes(name));
        }
        var hash = Sha256Hex([.. bytes])[..HashLength];
        var perName = (maxLength - (HashLength + 1)) / names.Count;
        var nameMaxLength = perName - 2;
        if (nameMaxLength < 2)
        {
            throw new ArgumentOutOfRangeException(nameof(maxLength), $"not enough characters for {names.Count} names: {maxLength}");
        }
        return string.Join("--", names.Select(n => ExtractSafeName(n, nameMaxLength))) + "---" + hash;
    }

    /// <summary>slugs._extract_safe_name: lowercased, runs of anything but a-z0-9 to '-', trimmed, starting with a letter ('x-' prefixed), never empty.</summary>
    private static string ExtractSafeName(string name, int maxLength)
    {
        var safe = NonAlphanumeric().Replace(name.ToLowerInvariant(), "-").TrimStart('-');
        safe = safe[..Math.Min(maxLength, safe.Length)].TrimEnd('-');
        if (safe.Length > 0 && safe[0] is not (>= 'a' and <= 'z'))
        {
            safe = "x-" + safe[..Math.Min(maxLength - 2, safe.Length)];
        }
        return safe.Length == 0 ? "x" : safe;
    }

    private static bool IsLowerAlnum(char c) => c is (>= 'a' and <= 'z') or (>= '0' and <= '9');

    private static string Sha256Hex(byte[] data) => Convert.ToHexStringLower(SHA256.HashData(data));

    [GeneratedRegex("^[a-z0-9-]+$")]
    private static partial Regex ObjectPattern();

    [GeneratedRegex("^[a-zA-Z0-9._-]+$")]
    private static partial Regex LabelPattern();

    [GeneratedRegex("[^a-z0-9]+")]
    private static partial Regex NonAlphanumeric();
}
