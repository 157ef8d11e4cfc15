namespace KernelRegression.Tiers;

/// <summary>A tier cannot do this fault; tests report it as a skip with the reason, never as a pass.</summary>
public sealed class FaultNotSupportedException(string fault, string tier, string reason)
    : HarnessFaultException($"the {tier} tier cannot {fault}: {reason}", "run this fault on a tier that offers it")
{
    public string Fault { get; } = fault;
    public string Reason { get; } = reason;
}
