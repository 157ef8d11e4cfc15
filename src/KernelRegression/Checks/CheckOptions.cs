namespace KernelRegression.Checks;

/// <summary>Knobs of the standard checks (command line over KR_* settings over the matrix's defaults).</summary>
public sealed record CheckOptions
{
    /// <summary>How long stays-alive watches the kernel.</summary>
    public TimeSpan AliveWindow { get; init; } = Settings.AliveWindow;

    public static CheckOptions Default { get; } = new();
}
