namespace KernelRegression.Checks;

/// <summary>Restart: a variable seen set before the restart is gone after it, and the kernel answers.</summary>
public sealed class RestartCheck() : Check("restart", CheckNeeds.Kernel, destructive: true,
    "a variable seen set before a restart is gone after it, and the kernel answers")
{
    public override async Task<string> RunAsync(CellSession session, CancellationToken ct)
    {
        var r = await KernelChecks.RestartsAsync(session.Student!, await session.KernelAsync(ct), ct);
        // A NameError after the restart proves the state went only if the state was there before it.
        Expect.That(r.Before.Result == "'before-restart'", $"kr_marker was not seen set before the restart (its cell gave {r.Before}): nothing shows the restart forgot it");
        Expect.That(r.After.Error?.Name == "NameError", $"after restart the old variable gave {r.After}");
        return r.Reconnected ? "state gone after restart (the old socket stayed silent: reconnected)" : "state gone after restart";
    }
}
