using System.Globalization;
using System.Text;

namespace KernelRegression.Deployments;

/// <summary>A Python exception that <c>str.format</c> raises, as Python names it ("KeyError: 'HOME'").</summary>
internal sealed class StrFormatException(string python) : Exception(python)
{
    public string Python { get; } = python;
}

/// <summary>
/// Python's <c>str.format(**fields)</c>, as KubeSpawner applies it to its templates
/// (<c>template.format(**ns)</c> in _expand_user_properties): the parser of CPython's
/// Objects/stringlib/unicode_format.h and the exceptions it raises, with named fields only (KubeSpawner
/// passes no positional argument, so "{}" and "{0}" raise IndexError). A field's value is a string or,
/// for userid, an integer; a conversion (!s, !r, !a) is applied, a format spec is refused as unsupported.
/// </summary>
internal static class StrFormat
{
    /// <summary>The template with its fields filled; throws what str.format raises (KeyError, IndexError, …).</summary>
    /// <param name="missing">What a field that is not given becomes instead of a KeyError (format_map with a __missing__).</param>
    public static string Render(string template, IReadOnlyDictionary<string, object> fields, Func<string, string>? missing = null)
    {
        var sb = new StringBuilder();
        foreach (var part in Parse(template))
        {
            switch (part)
            {
                case Literal l:
                    sb.Append(l.Text);
                    break;
                case Field f when missing is not null && !fields.ContainsKey(f.Name):
                    sb.Append(missing(f.Name));
                    break;
                case Field f:
                    sb.Append(Value(f, fields));
                    break;
            }
        }
        return sb.ToString();
    }

    /// <summary>Text that str.format gives back unchanged: braces doubled.</summary>
    public static string Escape(string text) => text.Replace("{", "{{", StringComparison.Ordinal).Replace("}", "}}", StringComparison.Ordinal);

    private abstract record Part;
    private sealed record Literal(string Text) : Part;
    private sealed record Field(string Name, IReadOnlyList<(bool Index, string Key)> Chain, char? Conversion, string Spec) : Part;

    private static List<Part> Parse(string s)
    {
        var parts = new List<Part>();
        var literal = new StringBuilder();
        var i = 0;
        while (i < s.Length)
        {
            var c = s[i];
            if (c == '}')
            {
                if (i + 1 < s.Length && s[i + 1] == '}')
                {
                    literal.Append('}');
                    i += 2;
                    continue;
                }
                throw new StrFormatException("ValueError: Single '}' encountered in format string");
            }
            if (c != '{')
            {
                literal.Append(c);
                i++;
                continue;
            }
            if (i + 1 < s.Length && s[i + 1] == '{')
            {
                literal.Append('{');
                i += 2;
                continue;
            }
            if (i + 1 >= s.Length)
            {
                throw new StrFormatException("ValueError: Single '{' encountered in format string");
            }
            // The field runs to the matching '}' (nested braces count, as in a format spec).
            var depth = 1;
            var j = i + 1;
            while (j < s.Length && depth > 0)
            {
                depth += s[j] switch { '{' => 1, '}' => -1, _ => 0 };
                j++;
            }
            if (depth > 0)
            {
                throw new StrFormatException("ValueError: expected '}' before end of string");
            }
            if (literal.Length > 0)
            {
                parts.Add(new Literal(literal.ToString()));
                literal.Clear();
            }
            parts.Add(ParseField(s[(i + 1)..(j - 1)]));
            i = j;
        }
        if (literal.Length > 0)
        {
            parts.Add(new Literal(literal.ToString()));
        }
        return parts;
    }

    private static Field ParseField(string field)
    {
        // field_name up to '!' or ':' (a '[…]' index may hold either).
        var k = 0;
        while (k < field.Length && field[k] is not ('!' or ':'))
        {
            if (field[k] == '{')
            {
                throw new StrFormatException("ValueError: unexpected '{' in field name");
            }
            if (field[k] == '[')
            {
                while (k < field.Length && field[k] != ']')
                {
                    k++;
                }
                if (k >= field.Length)
                {
                    break;
                }
            }
            k++;
        }
        var name = field[..Math.Min(k, field.Length)];
        char? conversion = null;
        var spec = "";
        if (k < field.Length && field[k] == '!')
        {
            if (k + 1 >= field.Length)
            {
                throw new StrFormatException("ValueError: end of string while looking for conversion specifier");
            }
            conversion = field[k + 1];
            if (k + 2 < field.Length && field[k + 2] != ':')
            {
                throw new StrFormatException("ValueError: expected ':' after conversion specifier");
            }
            if (conversion is not ('r' or 's' or 'a'))
            {
                throw new StrFormatException($"ValueError: Unknown conversion specifier {conversion}");
            }
            k += 2;
        }
        if (k < field.Length && field[k] == ':')
        {
            spec = field[(k + 1)..];
        }
        var (first, chain) = SplitName(name);
        if (first.Length == 0)
        {
            throw new StrFormatException("IndexError: Replacement index 0 out of range for positional args tuple");
        }
        if (first.All(char.IsAsciiDigit))
        {
            throw new StrFormatException($"IndexError: Replacement index {int.Parse(first, CultureInfo.InvariantCulture)} out of range for positional args tuple");
        }
        return new Field(first, chain, conversion, spec);
    }

    /// <summary>"a.b[0]" → ("a", [.b, [0]]), with the ValueErrors of a malformed chain.</summary>
    private static (string First, List<(bool Index, string Key)> Chain) SplitName(string name)
    {
        var end = name.IndexOfAny(['.', '[']);
        var first = end < 0 ? name : name[..end];
        var chain = new List<(bool, string)>();
        var i = end < 0 ? name.Length : end;
        while (i < name.Length)
        {
            if (name[i] == '.')
            {
                var next = name.IndexOfAny(['.', '['], i + 1);
                var attr = next < 0 ? name[(i + 1)..] : name[(i + 1)..next];
                if (attr.Length == 0)
                {
                    throw new StrFormatException("ValueError: Empty attribute in format string");
                }
                chain.Add((false, attr));
                i = next < 0 ? name.Length : next;
            }
            else
            {
                var close = name.IndexOf(']', i + 1);
                if (close < 0)
                {
                    throw new StrFormatException("ValueError: Missing ']' in format string");
                }
                chain.Add((true, name[(i + 1)..close]));
                i = close + 1;
                if (i < name.Length && name[i] is not ('.' or '['))
                {
                    throw new StrFormatException("ValueError: Only '.' or '[' may follow ']' in format field specifier");
                }
            }
        }
        return (first, chain);
    }

    private static string Value(Field f, IReadOnlyDictionary<string, object> fields)
    {
        if (!fields.TryGetValue(f.Name, out var value))
        {
            throw new StrFormatException($"KeyError: '{f.Name}'");
        }
        foreach (var (index, key) in f.Chain)
        {
            var type = value is string ? "str" : "int";
            if (!index)
            {
                throw new StrFormatException($"AttributeError: '{type}' object has no attribute '{key}'");
            }
            if (value is not string text)
            {
                throw new StrFormatException($"TypeError: '{type}' object is not subscriptable");
            }
            if (!int.TryParse(key, NumberStyles.None, CultureInfo.InvariantCulture, out var n))
            {
                throw new StrFormatException("TypeError: string indices must be integers, not 'str'");
            }
            value = n < text.Length ? text[n].ToString() : throw new StrFormatException("IndexError: string index out of range");
        }
        var plain = value switch
        {
            string s => s,
            _ => Convert.ToString(value, CultureInfo.InvariantCulture) ?? "",
        };
        if (f.Conversion is 'r' or 'a' && value is string)
        {
            plain = plain.Contains('\'', StringComparison.Ordinal) && !plain.Contains('"', StringComparison.Ordinal) ? $"\"{plain}\"" : $"'{plain.Replace("'", "\\'", StringComparison.Ordinal)}'";
        }
        return f.Spec.Length == 0
            ? plain
            : throw new StrFormatException($"NotImplemented: the format spec ':{f.Spec}' (the docker launch fills plain fields only)");
    }
}
