using System.Globalization;
using System.Text;

namespace KernelRegression.Deployments;

/// <summary>
/// Values as helm sees them after parsing: maps (insertion-ordered), lists, strings, longs, doubles,
/// bools and null. Small helpers to read and describe them; nothing here knows about z2jh.
/// </summary>
internal static class ValuesTree
{
    public static OrderedDictionary<string, object?> NewMap() => new(StringComparer.Ordinal);

    public static object? Clone(object? v) => v switch
    {
        OrderedDictionary<string, object?> m => CloneMap(m),
        List<object?> l => l.Select(Clone).ToList(),
        _ => v,
    };

    public static OrderedDictionary<string, object?> CloneMap(OrderedDictionary<string, object?> m)
    {
        var copy = NewMap();
        foreach (var (k, v) in m)
        {
            copy[k] = Clone(v);
        }
        return copy;
    }

    public static OrderedDictionary<string, object?>? AsMap(object? v) => v as OrderedDictionary<string, object?>;

    public static List<object?>? AsList(object? v) => v as List<object?>;

    /// <summary>The value at a dotted path of map keys, or null when any step is missing.</summary>
    public static object? At(OrderedDictionary<string, object?>? m, string path)
    {
        object? cur = m;
        foreach (var part in path.Split('.'))
        {
            if (cur is not OrderedDictionary<string, object?> map || !map.TryGetValue(part, out cur))
            {
                return null;
            }
        }
        return cur;
    }

    public static bool Has(OrderedDictionary<string, object?>? m, string path)
    {
        object? cur = m;
        foreach (var part in path.Split('.'))
        {
            if (cur is not OrderedDictionary<string, object?> map || !map.TryGetValue(part, out cur))
            {
                return false;
            }
        }
        return true;
    }

    public static bool IsEmpty(object? v) => v switch
    {
        null => true,
        OrderedDictionary<string, object?> m => m.Count == 0,
        List<object?> l => l.Count == 0,
        string s => s.Length == 0,
        _ => false,
    };

    /// <summary>"a map", "a list", "the string 'x'", "the number 1", "true", "null": for error messages.</summary>
    public static string Describe(object? v) => v switch
    {
        null => "null",
        OrderedDictionary<string, object?> => "a map",
        List<object?> => "a list",
        string s => $"the string '{s}'",
        bool b => b ? "true" : "false",
        long or double => $"the number {Scalar(v)}",
        _ => v.ToString() ?? "?",
    };

    /// <summary>A scalar as text: what an environment variable or a label gets.</summary>
    public static string Scalar(object? v) => v switch
    {
        null => "",
        string s => s,
        bool b => b ? "true" : "false",
        long l => l.ToString(CultureInfo.InvariantCulture),
        double d => d.ToString("R", CultureInfo.InvariantCulture),
        _ => Render(v),
    };

    /// <summary>Compact flow form, for messages and diffs: [a, b], {k: v}.</summary>
    public static string Render(object? v) => Render(v, FlowStyle.Plain);

    /// <summary>A tree on one line in the given style (the flow form above, or JSON as Go writes it).</summary>
    public static string Render(object? v, FlowStyle style)
    {
        var sb = new StringBuilder();
        Write(sb, v, style);
        return sb.ToString();
    }

    private static void Write(StringBuilder sb, object? v, FlowStyle style)
    {
        switch (v)
        {
            case null:
                sb.Append("null");
                break;
            case OrderedDictionary<string, object?> m:
                sb.Append('{');
                var first = true;
                foreach (var (k, x) in style.SortKeys ? m.OrderBy(kv => kv.Key, StringComparer.Ordinal) : m.AsEnumerable())
                {
                    sb.Append(first ? "" : style.Comma).Append(style.Text(k)).Append(style.Colon);
                    Write(sb, x, style);
                    first = false;
                }
                sb.Append('}');
                break;
            case List<object?> l:
                sb.Append('[');
                for (var i = 0; i < l.Count; i++)
                {
                    sb.Append(i == 0 ? "" : style.Comma);
                    Write(sb, l[i], style);
                }
                sb.Append(']');
                break;
            case string s:
                sb.Append(style.Text(s));
                break;
            default:
                sb.Append(Scalar(v));
                break;
        }
    }
}

/// <summary>How <see cref="ValuesTree.Render(object?, FlowStyle)"/> writes separators, keys and strings.</summary>
internal sealed record FlowStyle(string Comma, string Colon, Func<string, string> Text, bool SortKeys)
{
    public static readonly FlowStyle Plain = new(", ", ": ", s => s, SortKeys: false);
}
