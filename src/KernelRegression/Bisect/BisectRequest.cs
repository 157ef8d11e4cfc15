namespace KernelRegression.Bisect;

/// <summary>
/// What to bisect: the axis and its ordered values, the fixed hub/image/profile for the other axes,
/// and the ends (default first and last).
/// </summary>
public sealed record BisectRequest(BisectAxis Axis, IReadOnlyList<string> Values)
{
    public string Hub { get; init; } = "trixie";
    public string Image { get; init; } = "bookworm";
    public string Profile { get; init; } = "default";
    public string? Good { get; init; }
    public string? Bad { get; init; }

    public static BisectAxis ParseAxis(string axis) => axis.ToLowerInvariant() switch
    {
        "image" or "images" => BisectAxis.Image,
        "hub" or "hubs" => BisectAxis.Hub,
        "profile" or "profiles" => BisectAxis.Profile,
        "commit" or "commits" or "git" => BisectAxis.Commit,
        _ => throw new HarnessException($"unknown axis '{axis}'", "bisect along image, hub, profile or commit"),
    };
}
