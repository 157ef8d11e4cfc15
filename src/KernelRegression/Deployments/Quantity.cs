using System.Globalization;
using System.Text.RegularExpressions;

namespace KernelRegression.Deployments;

/// <summary>
/// A Kubernetes resource quantity (k8s.io/apimachinery resource.Quantity) where a pod field takes one
/// directly (extra_container_config.resources): a number with a binary (Ki … Ei) or decimal (m, k, M …
/// E) suffix or an exponent. Not JupyterHub's ByteSpecification (<see cref="ByteSize"/>).
/// </summary>
internal static partial class Quantity
{
    private static readonly Dictionary<string, double> Suffixes = new(StringComparer.Ordinal)
    {
        [""] = 1, ["m"] = 1e-3, ["k"] = 1e3, ["M"] = 1e6, ["G"] = 1e9, ["T"] = 1e12, ["P"] = 1e15, ["E"] = 1e18,
        ["Ki"] = 1L << 10, ["Mi"] = 1L << 20, ["Gi"] = 1L << 30, ["Ti"] = 1L << 40, ["Pi"] = 1L << 50, ["Ei"] = 1L << 60,
    };

    public static double Of(object value, string key)
    {
        if (value is long or double)
        {
            return Convert.ToDouble(value, CultureInfo.InvariantCulture);
        }
        var m = value is string s ? Text().Match(s.Trim()) : Match.Empty;
        if (!m.Success || !Suffixes.TryGetValue(m.Groups[2].Value, out var unit))
        {
            throw new ValuesException($"{key} is {ValuesTree.Describe(value)}: not a Kubernetes quantity; the API refuses the pod",
                "write a number with a suffix Kubernetes knows: 2Gi, 512Mi, 1G, 500m, 2");
        }
        return double.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture) * unit;
    }

    /// <summary>Bytes as text (what the launch carries).</summary>
    public static string Bytes(object value, string key) => ((long)Math.Ceiling(Of(value, key))).ToString(CultureInfo.InvariantCulture);

    public static double Cpus(object value, string key) => Of(value, key);

    [GeneratedRegex(@"^([0-9]+(?:\.[0-9]*)?(?:[eE][-+]?[0-9]+)?)([a-zA-Z]*)$")]
    private static partial Regex Text();
}
