using System.Globalization;
using System.Text.RegularExpressions;

namespace KernelRegression.Deployments;

/// <summary>What a spawn's traits become on Docker: the server's environment, as KubeSpawner expands and orders it.</summary>
internal sealed partial class PodTranslation
{
    /// <summary>
    /// KubeSpawner's get_env: JupyterHub's variables, JUPYTER_IMAGE(_SPEC), then `environment` last (so
    /// it wins over both), each value formatted; make_pod turns each into an EnvVar and orders them.
    /// A value that is not text fails there (its $(VAR) scan is re.findall: TypeError) or, when falsy,
    /// reaches the API, which refuses it (an EnvVar's value is a string).
    /// </summary>
    private Dictionary<string, string> Environment(string imageRef)
    {
        var setting = _s.Get("environment");
        var entries = new List<(string Key, string Name, string Value)>();
        foreach (var (key, value) in ValuesTree.AsMap(_s["environment"]) ?? [])
        {
            var where = setting!.SourceOf(key);
            switch (value)
            {
                case OrderedDictionary<string, object?> var:
                    if (var.ContainsKey("valueFrom") || var.ContainsKey("value_from"))
                    {
                        NotApply(where, "valueFrom reads a Secret, ConfigMap or pod field of the cluster");
                        continue;
                    }
                    var name = var.GetValueOrDefault("name") is string n ? n : key;
                    entries.Add((key, name, EnvText(var.GetValueOrDefault("value"), where) ?? ""));
                    break;
                default:
                    entries.Add((key, key, EnvText(value, where) ?? ""));
                    break;
            }
        }
        // The image's reference is not formatted by KubeSpawner: its braces (if any) are kept literal.
        foreach (var imageVar in new[] { "JUPYTER_IMAGE", "JUPYTER_IMAGE_SPEC" })
        {
            if (!entries.Any(e => e.Name == imageVar))
            {
                entries.Add((imageVar, imageVar, Literal(imageRef)!));
            }
        }
        var env = new Dictionary<string, string>(StringComparer.Ordinal);
        // JupyterHub's Spawner.get_env for settings the docker tier's hub does not hold: carried as variables,
        // not formatted by KubeSpawner (their braces kept literal).
        foreach (var (trait, name, value) in new[] { ("notebook_dir", "JUPYTERHUB_ROOT_DIR", _s["notebook_dir"] as string),
            ("disable_user_config", "JUPYTERHUB_DISABLE_USER_CONFIG", _s["disable_user_config"] is true ? "1" : null),
            ("debug", "JUPYTERHUB_DEBUG", _s["debug"] is true ? "1" : null) })
        {
            if (!string.IsNullOrEmpty(value))
            {
                env[name] = Literal(value)!;
                _sources[$"env.{name}"] = _s.SourceOf(trait);
            }
        }
        foreach (var (key, name, value) in EnvOrder.Sort(entries, HubVariables()))
        {
            env[name] = value;
            _sources[$"env.{name}"] = setting is not null && setting.Value is OrderedDictionary<string, object?> m && m.ContainsKey(key)
                ? setting.SourceOf(key) : _s.SourceOf("image");
        }
        return env;
    }

    /// <summary>
    /// An env value as the pod gets it (filled by KubeSpawner's templates unless <paramref name="formatted"/> is
    /// false), or the refusal KubeSpawner or the API makes of a value that is not text.
    /// </summary>
    private string? EnvText(object? value, string where, bool formatted = true)
    {
        switch (value)
        {
            case null:
                return null; // an EnvVar without a value: the variable is empty
            case string s:
                return formatted ? Template(s, where) : s;
            case long or double or bool when value is 0L or 0.0 or false:
                throw new ValuesException(
                    $"{where} is {ValuesTree.Describe(value)}, not text: KubeSpawner passes it on and the Kubernetes API refuses the pod (an EnvVar's value is a string: cannot unmarshal {(value is bool ? "bool" : "number")} into EnvVar.value)",
                    $"quote it: \"{ValuesTree.Scalar(value)}\"");
            default:
                var type = value switch { long => "int", double => "float", bool => "bool", List<object?> => "list", _ => "dict" };
                throw new ValuesException(
                    $"{where} is {ValuesTree.Describe(value)}, not text: KubeSpawner's make_pod scans each env value for $(VAR) references and fails the spawn: TypeError: expected string or bytes-like object, got '{type}'",
                    value is long or double or bool ? $"quote it: \"{ValuesTree.Scalar(value)}\"" : "write the value as text (quote it), or a map with value/valueFrom");
        }
    }

    /// <summary>The variables JupyterHub's Spawner.get_env sets for this launch, which env values may reference.</summary>
    private HashSet<string> HubVariables()
    {
        var names = new HashSet<string>(EnvOrder.HubAlways, StringComparer.Ordinal);
        foreach (var (trait, name) in new[] { ("mem_limit", "MEM_LIMIT"), ("mem_guarantee", "MEM_GUARANTEE"), ("cpu_limit", "CPU_LIMIT"),
            ("cpu_guarantee", "CPU_GUARANTEE"), ("notebook_dir", "JUPYTERHUB_ROOT_DIR"), ("default_url", "JUPYTERHUB_DEFAULT_URL"),
            ("debug", "JUPYTERHUB_DEBUG"), ("disable_user_config", "JUPYTERHUB_DISABLE_USER_CONFIG") })
        {
            if (_s[trait] is { } v && v is not (false or 0L or 0.0 or ""))
            {
                names.Add(name);
            }
        }
        return names;
    }
}
