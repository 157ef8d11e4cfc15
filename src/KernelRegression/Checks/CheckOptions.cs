namespace KernelRegression.Checks;

/// <summary>Knobs of the standard checks (command line over KR_* settings over the matrix's defaults).</summary>
public sealed record CheckOptions
{
    /// <summary>How long stays-alive watches the kernel.</summary>
    public TimeSpan AliveWindow { get; init; } = Settings.AliveWindow;

    /// <summary>The browser check's login on a hub whose passwords are not the harness's (an existing hub): user and password.</summary>
    public (string User, string Password)? BrowserLogin { get; init; }

    public static CheckOptions Default { get; } = new();
}
