namespace KernelRegression.Matrix;

/// <summary>
/// A hub under test: which Debian suite's JupyterHub (docker tier), or which Zero to JupyterHub
/// chart, KubeSpawner and node image (kind tier).
/// </summary>
public sealed record HubSpec(string Name, string Suite)
{
    public string? Chart { get; init; }
    public string? KubeSpawner { get; init; }
    public string? NodeImage { get; init; }
}

/// <summary>
/// A single-user image: built from a recipe (suite + variant args), brought by the user (ref), or this
/// machine's own Python and Jupyter packages (host: the process tier's).
/// </summary>
public sealed record ImageSpec(string Name, string? Suite, string Stack, string Init, string KernelPatch, string? Ref)
{
    public bool IsHost { get; init; }
    public bool IsBuilt => Ref is null && !IsHost;
}

/// <summary>
/// What the matrix expects of a cell: pass, or fail for a known reason with an upstream link, and
/// the words its cause must contain (a failure for another reason is not the known one).
/// </summary>
public sealed record Expectation(bool ExpectFailure, string? Reason, string? Link, string CauseContains)
{
    public static readonly Expectation Pass = new(false, null, null, "");
}

/// <summary>
/// One cell: tier × hub × image × launch profile × scenario. The id is stable and readable, e.g.
/// docker/hub-trixie/img-sid/profile-default; reports, filters and CI jobs all use it.
/// </summary>
public sealed record MatrixCell(string Tier, HubSpec Hub, ImageSpec Image, string Profile, string Scenario, Expectation Expected)
{
    /// <summary>The checks this cell runs, in order (the matrix's `checks:`, a selection's own, or the command line's).</summary>
    public IReadOnlyList<string> Checks { get; init; } = KernelRegression.Checks.CheckCatalog.Standard;

    /// <summary>How long each step may take (the matrix's `budgets:` for this cell, with the command line's); none: nothing is judged.</summary>
    public Latency.StepBudgets Budgets { get; init; } = Latency.StepBudgets.None;

    /// <summary>The axes by name, for grids and the diagnosis's "closest cell".</summary>
    public IReadOnlyDictionary<string, string> Axes => new Dictionary<string, string>
    {
        ["tier"] = Tier, ["hub"] = Hub.Name, ["img"] = Image.Name, ["profile"] = Profile, ["scenario"] = Scenario,
    };

    public string Id => $"{Tier}/hub-{Hub.Name}/img-{Image.Name}/profile-{Profile}" + (Scenario == "healthy" ? "" : $"/scenario-{Scenario}");

    public override string ToString() => Id;
}
