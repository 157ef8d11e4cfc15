using System.Globalization;
using YamlDotNet.Core;
using YamlDotNet.Serialization;
using YamlDotNet.Serialization.EventEmitters;

namespace KernelRegression.Kubernetes.Chart;

/// <summary>
/// Writes every string value double-quoted, and a mapping key quoted when YAML 1.1 would read it as
/// something else: helm parses values files with YAML 1.1 rules (go-yaml v2 behind sigs.k8s.io/yaml),
/// so an env value written as plain <c>true</c>, <c>yes</c>, <c>on</c>, <c>1</c>, <c>0755</c>,
/// <c>0x1F</c>, <c>1e3</c>, <c>null</c> or <c>~</c> would reach KubeSpawner as a bool, a number or null.
/// Numbers and booleans the harness means as such stay plain.
/// </summary>
public sealed class QuotedStringValues(IEventEmitter next) : ChainedEventEmitter(next)
{
    private sealed class Frame(bool isMapping)
    {
        public bool IsMapping { get; } = isMapping;
        public bool ExpectKey { get; set; } = true;
    }

    private readonly Stack<Frame> _frames = new();

    public override void Emit(ScalarEventInfo eventInfo, IEmitter emitter)
    {
        var isKey = _frames.TryPeek(out var top) && top.IsMapping && top.ExpectKey;
        Advance();
        if (eventInfo.Source.Value is string s && (!isKey || Yaml11.IsAmbiguous(s)))
        {
            eventInfo.Style = ScalarStyle.DoubleQuoted;
        }
        base.Emit(eventInfo, emitter);
    }

    public override void Emit(MappingStartEventInfo eventInfo, IEmitter emitter)
    {
        Advance();
        _frames.Push(new Frame(true));
        base.Emit(eventInfo, emitter);
    }

    public override void Emit(SequenceStartEventInfo eventInfo, IEmitter emitter)
    {
        Advance();
        _frames.Push(new Frame(false));
        base.Emit(eventInfo, emitter);
    }

    public override void Emit(MappingEndEventInfo eventInfo, IEmitter emitter)
    {
        _frames.TryPop(out _);
        base.Emit(eventInfo, emitter);
    }

    public override void Emit(SequenceEndEventInfo eventInfo, IEmitter emitter)
    {
        _frames.TryPop(out _);
        base.Emit(eventInfo, emitter);
    }

    // In a mapping, keys and values alternate.
    private void Advance()
    {
        if (_frames.TryPeek(out var top) && top.IsMapping)
        {
            top.ExpectKey = !top.ExpectKey;
        }
    }
}

/// <summary>Which plain scalars YAML 1.1 (go-yaml v2's resolver, as helm uses it) does not read as a string.</summary>
public static class Yaml11
{
    private static readonly HashSet<string> NotStrings =
    [
        "", "~", "null", "Null", "NULL",
        "y", "Y", "yes", "Yes", "YES", "n", "N", "no", "No", "NO",
        "true", "True", "TRUE", "false", "False", "FALSE",
        "on", "On", "ON", "off", "Off", "OFF",
        ".inf", ".Inf", ".INF", "+.inf", "+.Inf", "+.INF", "-.inf", "-.Inf", "-.INF", ".nan", ".NaN", ".NAN",
        "<<",
    ];

    public static bool IsAmbiguous(string s)
    {
        if (NotStrings.Contains(s))
        {
            return true;
        }
        var plain = s.Replace("_", "", StringComparison.Ordinal);
        var body = plain.TrimStart('+', '-');
        if (body.Length == 0)
        {
            return false;
        }
        // Integers in any base (0x1F, 0b101, 0755 octal) and floats (1e3, 1.5, .5).
        return body.StartsWith("0x", StringComparison.OrdinalIgnoreCase) && body.Length > 2 && body[2..].All(Uri.IsHexDigit)
            || body.StartsWith("0b", StringComparison.OrdinalIgnoreCase) && body.Length > 2 && body[2..].All(c => c is '0' or '1')
            || body.All(char.IsAsciiDigit)
            || (char.IsAsciiDigit(body[0]) || body[0] == '.') && double.TryParse(plain, NumberStyles.Float, CultureInfo.InvariantCulture, out _);
    }
}
