namespace KernelRegression.Deployments;

/// <summary>
/// The operator's values cannot be read or would not deploy (not YAML, no z2jh section, a key the
/// chart's schema refuses, an override KubeSpawner would reject). A bisection skips a commit whose
/// values raise this, like `git bisect skip`; everywhere else it is bad input.
/// </summary>
public sealed class ValuesException(string what, string fix, Exception? inner = null) : HarnessException(what, fix, inner);

/// <summary>A profile (or option) that KubeSpawner refuses to start, with the key and the rule: its cells are not run.</summary>
public sealed record ValuesRefusal(string Key, string Rule)
{
    public override string ToString() => $"{Key}: {Rule}";
}
