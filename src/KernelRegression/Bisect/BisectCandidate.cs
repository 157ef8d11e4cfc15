using KernelRegression.Matrix;

namespace KernelRegression.Bisect;

/// <summary>The axes a bisection can walk along.</summary>
public enum BisectAxis
{
    /// <summary>Single-user images: names declared in the matrix, or refs (name:tag) used as they are.</summary>
    Image,
    /// <summary>Hubs declared in the matrix (docker tier: a Debian suite's JupyterHub).</summary>
    Hub,
    /// <summary>Launch profiles: built-in names, YAML file paths, or a folder of them (sorted by file name).</summary>
    Profile,
    /// <summary>Commits of a deployment repository, their z2jh values read at each (kr bisect commits: <see cref="CommitBisect"/>).</summary>
    Commit,
}

/// <summary>
/// One value of the axis, resolved: what the user wrote, and the hub, image and launch profile a
/// step with it runs (the two axes not bisected stay fixed).
/// </summary>
public sealed record BisectCandidate(string Value, HubSpec Hub, ImageSpec Image, LaunchProfile Profile)
{
    /// <summary>Why this value cannot be run at all (its values do not parse): the step is skipped and says so.</summary>
    public string? Unusable { get; init; }

    /// <summary>Keys of this value's configuration the docker tier cannot apply.</summary>
    public IReadOnlyList<NotApplied> NotApplied { get; init; } = [];

    public string Label => Value.EndsWith(".yaml", StringComparison.Ordinal) ? Path.GetFileNameWithoutExtension(Value) : Value;
}
