namespace KernelRegression.Matrix;

/// <summary>
/// A hub under test: which Debian suite's JupyterHub (docker tier), or which Zero to JupyterHub
/// chart, KubeSpawner and node image (kind tier).
/// </summary>
public sealed record HubSpec(string Name, string Suite)
{
    /// <summary>Extra KR_* settings of the hub's own configuration (fixtures/hub/jupyterhub_config.py), e.g. KR_COOKIE_OPTIONS.</summary>
    public IReadOnlyDictionary<string, string> Env { get; init; } = new Dictionary<string, string>();
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

    /// <summary>The notebook front end the image serves: as-installed, notebook7, lab or broken (FRONTEND build arg).</summary>
    public string Frontend { get; init; } = "as-installed";
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
public sealed record MatrixCell(TierName Tier, HubSpec Hub, ImageSpec Image, string Profile, string Scenario, Expectation Expected)
{
    /// <summary>The checks this cell runs, in order (the matrix's `checks:`, a selection's own, or the command line's).</summary>
    public IReadOnlyList<string> Checks { get; init; } = MatrixFile.StandardChecks;

    /// <summary>How long each step may take (the matrix's `budgets:` for this cell, with the command line's); none: nothing is judged.</summary>
    public StepBudgets Budgets { get; init; } = StepBudgets.None;

    /// <summary>The axes by name, for grids and the diagnosis's "closest cell".</summary>
    public IReadOnlyDictionary<string, string> Axes => new Dictionary<string, string>
    {
        ["tier"] = Tier, ["hub"] = Hub.Name, ["img"] = Image.Name, ["profile"] = Profile, ["scenario"] = Scenario,
    };

    /// <summary>The launch itself, where it does not come from a profile file (an operator's values): tiers use it as it is.</summary>
    public LaunchProfile? Launch { get; init; }

    /// <summary>Images besides the cell's own that the launch needs (init containers' images).</summary>
    public IReadOnlyList<ImageSpec> OtherImages { get; init; } = [];

    /// <summary>Keys of the operator's configuration the tier cannot apply, shown with every report of the cell.</summary>
    public IReadOnlyList<NotApplied> NotApplied { get; init; } = [];

    /// <summary>A name given instead of the axes (an operator's values cell: tier/hub-H/values-LABEL/profile-SLUG[/opt-…]).</summary>
    public string? Name { get; init; }

    public string Id => Name ?? $"{Tier}/hub-{Hub.Name}/img-{Image.Name}/profile-{Profile}" + (Scenario == "healthy" ? "" : $"/scenario-{Scenario}");

    /// <summary>The launch the tier applies: the cell's own, or its profile file's.</summary>
    public LaunchProfile ResolveLaunch() => Launch ?? LaunchProfile.Resolve(Profile);

    public override string ToString() => Id;
}
