namespace KernelRegression;

/// <summary>
/// A tier a cell runs on (process, docker, kind, existing), by the name the matrix, KR_TIER, --tier and the
/// reports use: the names are declared here once, and a name that is none of them is refused where it is read.
/// </summary>
public readonly record struct TierName
{
    public static readonly TierName Process = new("process");
    public static readonly TierName Docker = new("docker");
    public static readonly TierName Kind = new("kind");
    public static readonly TierName Existing = new("existing");

    public static IReadOnlyList<TierName> All { get; } = [Process, Docker, Kind, Existing];

    private TierName(string name) => Name = name;

    public string Name { get; }

    /// <summary>The tier of that name, or an error that names the tiers there are (<paramref name="where"/> says who wrote it).</summary>
    public static TierName Of(string name, string where = "tier") =>
        All.FirstOrDefault(t => t.Name == name.Trim()) is { Name: not null } tier
            ? tier
            : throw new HarnessException($"{where} '{name}' is not a tier", $"use one of: {string.Join(", ", All)}");

    public override string ToString() => Name;

    /// <summary>Where text is wanted (ids, paths, reports), the name.</summary>
    public static implicit operator string(TierName tier) => tier.Name;
}
