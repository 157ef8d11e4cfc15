namespace KernelRegression.Tiers;

/// <summary>
/// What a tier can see of a user's server: its process tree, its container, the Jupyter versions it
/// runs, its environment (secrets masked), its user and home, and anything only that tier knows
/// (a pod's phase and events) as named extras.
/// </summary>
public sealed record TierEvidence
{
    public ProcessTree? Processes { get; init; }
    public ContainerState? Container { get; init; }
    public IReadOnlyDictionary<string, string> Versions { get; init; } = new Dictionary<string, string>();
    public IReadOnlyDictionary<string, string> Environment { get; init; } = new Dictionary<string, string>();
    public UserState? User { get; init; }
    /// <summary>Tier-specific facts (pod.phase, pod.conditions, …), compared by the diagnosis like the rest.</summary>
    public IReadOnlyDictionary<string, string> Extra { get; init; } = new Dictionary<string, string>();
    /// <summary>Tier-specific event lines (Kubernetes events of the pod).</summary>
    public IReadOnlyList<string> Events { get; init; } = [];
    /// <summary>Texts only this tier can give, for the evidence folder (a pod described, the namespace's state).</summary>
    public IReadOnlyList<Attachment> Attachments { get; init; } = [];

    public static TierEvidence None { get; } = new();

    /// <summary>An environment, as NAME=value entries, with secrets masked by name and by value.</summary>
    public static IReadOnlyDictionary<string, string> MaskedEnvironment(IEnumerable<string> variables)
    {
        var env = new SortedDictionary<string, string>(StringComparer.Ordinal);
        foreach (var v in variables)
        {
            var eq = v.IndexOf('=', StringComparison.Ordinal);
            if (eq <= 0)
            {
                continue;
            }
            var name = v[..eq];
            env[name] = name.Contains("TOKEN", StringComparison.Ordinal) || name.Contains("SECRET", StringComparison.Ordinal)
                || name.Contains("KEY", StringComparison.Ordinal) || name.Contains("PASSWORD", StringComparison.Ordinal)
                ? Secrets.Mask
                : Secrets.Redact(v[(eq + 1)..]);
        }
        return env;
    }
}
