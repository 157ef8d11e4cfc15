namespace KernelRegression.Checks;

/// <summary>Restart: after a restart the kernel answers and old variables are gone.</summary>
public sealed class RestartCheck() : Check("restart", CheckNeeds.Kernel, destructive: true,
    "after a restart the kernel answers and old variables are gone")
{
    public override async Task<string> RunAsync(CellSession session, CancellationToken ct)
    {
        var r = await KernelChecks.RestartsAsync(session.Student!, await session.KernelAsync(ct), ct);
        Expect.That(r.After.Error?.Name == "NameError", $"after restart the old variable gave {r.After}");
        return r.Reconnected ? "state gone after restart (the old socket stayed silent: reconnected)" : "state gone after restart";
    }
}
