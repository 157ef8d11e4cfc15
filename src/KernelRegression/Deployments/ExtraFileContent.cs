using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace KernelRegression.Deployments;

/// <summary>
/// The content the chart writes for a singleuser.extraFiles entry (templates/_helpers.tpl
/// jupyterhub.extraFiles.stringData / .data): stringData as written, `data` rendered by the mount
/// path's extension (.yaml/.yml toYaml, .json toJson, .toml toToml; keys sorted, as Go maps are),
/// binaryData base64-decoded. The Secret's block scalar leaves exactly one trailing newline.
/// </summary>
internal static partial class ExtraFileContent
{
    /// <summary>The file's text, or null with why when it cannot be a text file here.</summary>
    public static (string? Content, string? Why) Of(string key, OrderedDictionary<string, object?> file)
    {
        var mountPath = ValuesTree.Scalar(file.GetValueOrDefault("mountPath"));
        if (file.GetValueOrDefault("stringData") is string text && text.Length > 0)
        {
            return (OneNewline(text), null);
        }
        if (file.GetValueOrDefault("binaryData") is string b64 && b64.Length > 0)
        {
            try
            {
                var bytes = Convert.FromBase64String(Regex.Replace(b64, @"\s", ""));
                var decoded = new UTF8Encoding(false, true).GetString(bytes);
                return (decoded, null);
            }
            catch (Exception e) when (e is FormatException or DecoderFallbackException)
            {
                return (null, $"binaryData of extraFiles.{key} is not base64 text ({e.GetType().Name}); the launch carries text files only");
            }
        }
        if (file.GetValueOrDefault("data") is OrderedDictionary<string, object?> data && data.Count > 0)
        {
            var ext = Path.GetExtension(mountPath).ToLowerInvariant();
            return ext switch
            {
                ".yaml" or ".yml" => (OneNewline(Yaml(data, 0)), null),
                ".json" => (OneNewline(Json(data)), null),
                ".toml" => (OneNewline(Toml(data)), null),
                _ => throw new ValuesException(
                    $"singleuser.extraFiles.{key}: `data` needs a mount path ending in .yaml, .yml, .json or .toml (it is {mountPath})",
                    "use stringData for other files, or give the file one of those extensions (the chart fails the same way)"),
            };
        }
        throw new ValuesException($"singleuser.extraFiles.{key} has none of data, stringData, binaryData",
            "give exactly one of them (the chart refuses the entry otherwise)");
    }

    private static string OneNewline(string s) => s.TrimEnd('\n') + "\n";

    private static IEnumerable<KeyValuePair<string, object?>> Sorted(OrderedDictionary<string, object?> m) => m.OrderBy(kv => kv.Key, StringComparer.Ordinal);

    // --- YAML as sigs.k8s.io/yaml writes it: sorted keys, lists not indented under their key.
    private static string Yaml(object? v, int indent)
    {
        var sb = new StringBuilder();
        WriteYaml(sb, v, indent);
        return sb.ToString();
    }

    private static void WriteYaml(StringBuilder sb, object? v, int indent)
    {
        var pad = new string(' ', indent);
        switch (v)
        {
            case OrderedDictionary<string, object?> m:
                foreach (var (k, x) in Sorted(m))
                {
                    sb.Append(pad).Append(YamlScalar(k));
                    if (x is OrderedDictionary<string, object?> { Count: > 0 })
                    {
                        sb.Append(":\n");
                        WriteYaml(sb, x, indent + 2);
                    }
                    else if (x is List<object?> { Count: > 0 })
                    {
                        sb.Append(":\n");
                        WriteYaml(sb, x, indent);
                    }
                    else
                    {
                        sb.Append(": ").Append(Inline(x)).Append('\n');
                    }
                }
                break;
            case List<object?> l:
                foreach (var x in l)
                {
                    if (x is OrderedDictionary<string, object?> { Count: > 0 } or List<object?> { Count: > 0 })
                    {
                        var inner = Yaml(x, indent + 2);
                        sb.Append(pad).Append("- ").Append(inner.TrimStart(' '));
                    }
                    else
                    {
                        sb.Append(pad).Append("- ").Append(Inline(x)).Append('\n');
                    }
                }
                break;
        }
    }

    private static string Inline(object? x) => x switch
    {
        null => "null",
        OrderedDictionary<string, object?> => "{}",
        List<object?> => "[]",
        string s => YamlScalar(s),
        _ => ValuesTree.Scalar(x),
    };

    private static string YamlScalar(string s) =>
        SafePlain().IsMatch(s) && ValuesYaml.Resolve(s) is string ? s : Quote(s, html: false);

    [GeneratedRegex(@"^[A-Za-z_/.][A-Za-z0-9_ ./-]*(?<! )$")]
    private static partial Regex SafePlain();

    // --- JSON as Go's json.Marshal writes it: compact, sorted keys, <, > and & escaped.
    private static readonly FlowStyle GoJson = new(",", ":", JsonString, SortKeys: true);

    private static string Json(object? v) => ValuesTree.Render(v, GoJson);

    private static string JsonString(string s) => Quote(s, html: true);

    /// <summary>A double-quoted string as Go's encoders write it: \" \\ \n \r \t, other controls \u00XX, and (JSON) &lt; &gt; &amp; as \u003c …</summary>
    private static string Quote(string s, bool html)
    {
        var sb = new StringBuilder("\"");
        foreach (var c in s)
        {
            sb.Append(c switch
            {
                '"' => "\\\"",
                '\\' => "\\\\",
                '\n' => "\\n",
                '\r' => "\\r",
                '\t' => "\\t",
                '<' or '>' or '&' when html => $"\\u{(int)c:x4}",
                '\u2028' or '\u2029' => $"\\u{(int)c:x4}",
                _ when c < 0x20 => $"\\u{(int)c:x4}",
                _ => c.ToString(),
            });
        }
        return sb.Append('"').ToString();
    }

    // --- TOML as BurntSushi/toml (sprig toToml) writes it: plain keys first, then [tables].
    private static string Toml(OrderedDictionary<string, object?> data)
    {
        var sb = new StringBuilder();
        WriteToml(sb, data, "");
        return sb.ToString().TrimStart('\n');
    }

    private static void WriteToml(StringBuilder sb, OrderedDictionary<string, object?> m, string table)
    {
        foreach (var (k, x) in Sorted(m).Where(kv => kv.Value is not OrderedDictionary<string, object?>))
        {
            if (x is not null)
            {
                sb.Append(table.Length == 0 ? "" : "  ").Append(TomlKey(k)).Append(" = ").Append(TomlValue(x)).Append('\n');
            }
        }
        foreach (var (k, x) in Sorted(m).Where(kv => kv.Value is OrderedDictionary<string, object?>))
        {
            var name = table.Length == 0 ? TomlKey(k) : $"{table}.{TomlKey(k)}";
            sb.Append('\n').Append('[').Append(name).Append("]\n");
            WriteToml(sb, (OrderedDictionary<string, object?>)x!, name);
        }
    }

    private static string TomlKey(string k) => BareKey().IsMatch(k) ? k : Quote(k, html: false);

    private static string TomlValue(object? x) => x switch
    {
        string s => Quote(s, html: false),
        bool b => b ? "true" : "false",
        long l => l.ToString(CultureInfo.InvariantCulture),
        double d => d.ToString("R", CultureInfo.InvariantCulture),
        List<object?> l => "[" + string.Join(", ", l.Select(TomlValue)) + "]",
        _ => Quote(ValuesTree.Scalar(x), html: false),
    };

    [GeneratedRegex(@"^[A-Za-z0-9_-]+$")]
    private static partial Regex BareKey();
}
