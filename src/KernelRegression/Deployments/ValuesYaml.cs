using System.Globalization;
using System.Text.RegularExpressions;
using YamlDotNet.Core;
using YamlDotNet.Core.Events;
using YamlDotNet.RepresentationModel;

namespace KernelRegression.Deployments;

/// <summary>One values file's text and the name errors should use for it (a path, or REV:path).</summary>
public sealed record ValuesSource(string Name, string Text)
{
    /// <summary>The dotted key its values sit under in the merged values (a parent chart's own values file); null: the top.</summary>
    public string? At { get; init; }

    public static ValuesSource FromFile(string path)
    {
        if (!File.Exists(path))
        {
            throw new ValuesException($"values file {path} does not exist", "pass the path of a values file (helm's -f), e.g. --values deploy/common.yaml");
        }
        return new ValuesSource(path, File.ReadAllText(path));
    }
}

/// <summary>Where a key was written: file, line and column (1-based).</summary>
public sealed record ValuesPosition(string File, int Line, int Column)
{
    public override string ToString() => $"{File}:{Line}:{Column}";
}

/// <summary>A parsed values file: its top-level map and where each key path was written.</summary>
internal sealed record ValuesDocument(string Name, OrderedDictionary<string, object?> Root, Dictionary<string, ValuesPosition> Positions);

/// <summary>
/// Reads a values file as helm does: YAML 1.1 plain scalars (helm parses with go-yaml v2, so
/// yes/no/on/off are booleans and 0644 is octal), anchors, aliases and merge keys (&lt;&lt;), the first
/// document only. Any error names the file, line and column.
/// </summary>
internal static partial class ValuesYaml
{
    public static ValuesDocument Parse(ValuesSource source)
    {
        var stream = new YamlStream();
        var parser = new TrackingParser(new Parser(new StringReader(source.Text)));
        try
        {
            stream.Load(parser);
        }
        catch (YamlException e)
        {
            throw new ValuesException(
                $"values file {source.Name} is not valid YAML at line {e.Start.Line}, column {e.Start.Column}: {(e.InnerException ?? e).Message}",
                "fix the file (helm would refuse it too: `helm template -f FILE` shows the same place)");
        }
        catch (InvalidOperationException e)
        {
            // The scanner gives up on some malformed input without a position: name the last place it read well.
            throw new ValuesException(
                $"values file {source.Name} is not valid YAML after line {parser.Last.Line}, column {parser.Last.Column}: the parser stopped there ({e.GetType().Name}; an unclosed {{ or [ is the usual cause)",
                "fix the file (helm would refuse it too: `helm template -f FILE` shows the same place)");
        }
        var positions = new Dictionary<string, ValuesPosition>(StringComparer.Ordinal);
        if (stream.Documents.Count == 0)
        {
            return new ValuesDocument(source.Name, ValuesTree.NewMap(), positions);
        }
        var root = stream.Documents[0].RootNode;
        var at = string.IsNullOrEmpty(source.At) ? "" : source.At;
        var value = new Reader(source.Name, positions).Read(root, at);
        // A parent chart's values file: its top level sits at the key its chart has in yours.
        foreach (var part in at.Split('.', StringSplitOptions.RemoveEmptyEntries).Reverse())
        {
            var wrap = ValuesTree.NewMap();
            wrap[part] = value ?? ValuesTree.NewMap();
            value = wrap;
        }
        return value switch
        {
            null => new ValuesDocument(source.Name, ValuesTree.NewMap(), positions),
            OrderedDictionary<string, object?> map => new ValuesDocument(source.Name, map, positions),
            _ => throw new ValuesException(
                $"values file {source.Name} holds {ValuesTree.Describe(value)} at its top (line {root.Start.Line}), not a map of keys",
                "a values file is a map: `jupyterhub:` or `singleuser:` … at column 1"),
        };
    }

    /// <summary>Remembers where the last event parsed ended, for errors that come without a position.</summary>
    private sealed class TrackingParser(IParser inner) : IParser
    {
        public Mark Last { get; private set; } = Mark.Empty;

        public ParsingEvent? Current => inner.Current;

        public bool MoveNext()
        {
            var moved = inner.MoveNext();
            if (inner.Current is { } e)
            {
                Last = e.End;
            }
            return moved;
        }
    }

    private sealed class Reader(string file, Dictionary<string, ValuesPosition> positions)
    {
        public object? Read(YamlNode node, string path)
        {
            switch (node)
            {
                case YamlMappingNode m:
                    var map = ValuesTree.NewMap();
                    List<OrderedDictionary<string, object?>>? merges = null;
                    foreach (var (k, v) in m.Children)
                    {
                        var key = k is YamlScalarNode ks ? ks.Value ?? "" : throw Error(k, "a map key that is not a plain string", "write keys as plain words");
                        if (key == "<<" && k is YamlScalarNode { Style: ScalarStyle.Plain })
                        {
                            merges ??= [];
                            var merged = Read(v, path);
                            if (merged is OrderedDictionary<string, object?> one)
                            {
                                merges.Add(one);
                            }
                            else if (merged is List<object?> several && several.All(x => x is OrderedDictionary<string, object?>))
                            {
                                merges.AddRange(several.Cast<OrderedDictionary<string, object?>>());
                            }
                            else
                            {
                                throw Error(v, "a merge key (<<) whose value is not a map or a list of maps", "merge only anchored maps: <<: *defaults");
                            }
                            continue;
                        }
                        var child = path.Length == 0 ? key : $"{path}.{key}";
                        positions[child] = new ValuesPosition(file, (int)k.Start.Line, (int)k.Start.Column);
                        map[key] = Read(v, child);
                    }
                    // Merge keys: explicit keys win, then earlier merged maps over later ones (YAML 1.1).
                    foreach (var source in merges ?? [])
                    {
                        foreach (var (k, v) in source)
                        {
                            map.TryAdd(k, ValuesTree.Clone(v));
                        }
                    }
                    return map;
                case YamlSequenceNode s:
                    return s.Children.Select((c, i) => Read(c, $"{path}[{i}]")).ToList();
                case YamlScalarNode sc:
                    return Scalar(sc);
                default:
                    throw Error(node, $"an unsupported YAML node ({node.NodeType})", "use maps, lists and scalars");
            }
        }

        private ValuesException Error(YamlNode node, string what, string fix) =>
            new($"values file {file} has {what} at line {node.Start.Line}, column {node.Start.Column}", fix);

        private object? Scalar(YamlScalarNode node)
        {
            var text = node.Value ?? "";
            var tag = node.Tag.IsEmpty ? "" : node.Tag.Value;
            if (tag.Length > 0 && tag != "!")
            {
                var name = tag.StartsWith("tag:yaml.org,2002:", StringComparison.Ordinal) ? tag["tag:yaml.org,2002:".Length..] : tag.TrimStart('!');
                return name switch
                {
                    "str" or "binary" => text,
                    "null" => null,
                    "bool" => Resolve(text) is bool b ? b : throw Error(node, $"!!bool '{text}', not a boolean", "write true or false"),
                    "int" => Resolve(text) is long l ? l : throw Error(node, $"!!int '{text}', not an integer", "write an integer"),
                    "float" => Resolve(text) switch
                    {
                        double d => d,
                        long l => (double)l,
                        _ => throw Error(node, $"!!float '{text}', not a number", "write a number"),
                    },
                    _ => text,
                };
            }
            return node.Style == ScalarStyle.Plain ? Resolve(text) : text;
        }
    }

    /// <summary>A plain scalar resolved as go-yaml v2 (YAML 1.1) does.</summary>
    internal static object? Resolve(string text)
    {
        switch (text)
        {
            case "" or "~" or "null" or "Null" or "NULL":
                return null;
            case "y" or "Y" or "yes" or "Yes" or "YES" or "on" or "On" or "ON" or "true" or "True" or "TRUE":
                return true;
            case "n" or "N" or "no" or "No" or "NO" or "off" or "Off" or "OFF" or "false" or "False" or "FALSE":
                return false;
            case ".inf" or ".Inf" or ".INF" or "+.inf" or "+.Inf" or "+.INF":
                return double.PositiveInfinity;
            case "-.inf" or "-.Inf" or "-.INF":
                return double.NegativeInfinity;
            case ".nan" or ".NaN" or ".NAN":
                return double.NaN;
        }
        var plain = text.Replace("_", "", StringComparison.Ordinal);
        if (IntegerText().IsMatch(plain) && TryInteger(plain, out var l))
        {
            return l;
        }
        if (FloatText().IsMatch(plain) && double.TryParse(plain, NumberStyles.Float, CultureInfo.InvariantCulture, out var d))
        {
            return d;
        }
        return text;
    }

    private static bool TryInteger(string s, out long value)
    {
        var negative = s.StartsWith('-');
        var body = s.TrimStart('+', '-');
        bool ok;
        if (body.StartsWith("0x", StringComparison.OrdinalIgnoreCase))
        {
            ok = long.TryParse(body[2..], NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out value);
        }
        else if (body.StartsWith("0b", StringComparison.OrdinalIgnoreCase))
        {
            ok = TryBase(body[2..], 2, out value);
        }
        else if (body.StartsWith("0o", StringComparison.OrdinalIgnoreCase))
        {
            ok = TryBase(body[2..], 8, out value);
        }
        else if (body.Length > 1 && body[0] == '0')
        {
            ok = TryBase(body[1..], 8, out value); // YAML 1.1 octal: 0644
        }
        else
        {
            ok = long.TryParse(body, NumberStyles.None, CultureInfo.InvariantCulture, out value);
        }
        value = negative ? -value : value;
        return ok;
    }

    private static bool TryBase(string digits, int radix, out long value)
    {
        value = 0;
        if (digits.Length == 0)
        {
            return false;
        }
        try
        {
            value = Convert.ToInt64(digits, radix);
            return true;
        }
        catch (FormatException)
        {
            return false;
        }
        catch (OverflowException)
        {
            return false;
        }
    }

    [GeneratedRegex(@"^[-+]?(0[xX][0-9a-fA-F]+|0[bB][01]+|0[oO]?[0-7]+|[0-9]+)$")]
    private static partial Regex IntegerText();

    [GeneratedRegex(@"^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$")]
    private static partial Regex FloatText();
}
