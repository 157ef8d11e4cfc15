using KernelRegression.Matrix;

namespace KernelRegression.Deployments;

/// <summary>
/// One cell from the operator's values: a profileList entry (with one combination of its option
/// choices), or the single launch when there is no profileList. <see cref="Id"/> is stable
/// (values-LABEL/profile-SLUG[/opt-CHOICE]); the engine prefixes tier and hub.
/// </summary>
public sealed record ValuesCell
{
    public required string Id { get; init; }
    /// <summary>The profile's slug ("" when the values have no profileList).</summary>
    public required string Profile { get; init; }
    public string? DisplayName { get; init; }
    /// <summary>Option → chosen choice slug, in the profile's option order.</summary>
    public IReadOnlyDictionary<string, string> Choices { get; init; } = new Dictionary<string, string>();
    /// <summary>The profile (and choices) a user gets without choosing.</summary>
    public bool IsDefault { get; init; }
    public required ImageChoice Image { get; init; }
    /// <summary>Images of init containers that differ from the cell's (as mapped).</summary>
    public IReadOnlyList<ImageChoice> InitImages { get; init; } = [];
    public required LaunchProfile Launch { get; init; }
    public IReadOnlyList<NotApplied> NotApplied { get; init; } = [];
    /// <summary>What applies approximately on docker, said once per cell (e.g. shareProcessNamespace as an init).</summary>
    public IReadOnlyList<string> Notes { get; init; } = [];
    /// <summary>Launch field ("args", "env.COURSE", "mem_limit", …) → the values key that set it.</summary>
    public IReadOnlyDictionary<string, string> Sources { get; init; } = new Dictionary<string, string>();

    /// <summary>The id without the values label: what matches the same cell in another revision.</summary>
    public string Key => Id[(Id.IndexOf('/', StringComparison.Ordinal) + 1)..];

    public override string ToString() => $"{Id} ({Image})";
}
