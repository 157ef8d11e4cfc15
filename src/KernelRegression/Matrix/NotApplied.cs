namespace KernelRegression.Matrix;

/// <summary>A key of the operator's configuration that the tier could not apply, and why (never dropped silently).</summary>
public sealed record NotApplied(string Key, string Why)
{
    public override string ToString() => $"{Key} ({Why})";
}
