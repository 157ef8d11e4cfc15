namespace KernelRegression.Deployments;

/// <summary>A values key that has no effect on the docker tier, and why: listed per cell, never dropped silently.</summary>
public sealed record NotApplied(string Key, string Why)
{
    public override string ToString() => $"not applied on docker: {Key} ({Why})";
}
