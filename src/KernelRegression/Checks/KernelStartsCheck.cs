namespace KernelRegression.Checks;

/// <summary>The kernel starts: its kernel_info_reply arrives and the same request's idle status follows, within a deadline.</summary>
public sealed class KernelStartsCheck() : Check("kernel-starts", CheckNeeds.Server, destructive: false,
    "kernel_info_reply arrives and the same request's idle status follows, within a deadline")
{
    public override async Task<string> RunAsync(CellSession session, CancellationToken ct)
    {
        var kernel = await session.KernelAsync(ct);
        var start = KernelChecks.StartEvidence(kernel);
        Expect.That(start.ExecutionState == "idle", $"state after kernel_info is {start.ExecutionState}, not idle");
        var answered = $"{start.Implementation} {start.LanguageVersion} over {start.Protocol}";
        return kernel.RelaunchedAtStart is { } why ? $"{answered}, after a relaunch at start: {why}" : answered;
    }
}
