namespace KernelRegression.Checks;

/// <summary>Interrupt: a `time.sleep(600)` cell ends in KeyboardInterrupt, then the kernel runs code again.</summary>
public sealed class InterruptCheck() : Check("interrupt", CheckNeeds.Kernel, destructive: true,
    "a `time.sleep(600)` cell ends in KeyboardInterrupt, then the kernel runs code again")
{
    public override async Task<string> RunAsync(CellSession session, CancellationToken ct)
    {
        var i = await KernelChecks.InterruptsAsync(session.Student!, await session.KernelAsync(ct), ct);
        Expect.That(i.Interrupted.Error?.Name == "KeyboardInterrupt" && i.After.Result == "42", $"interrupted cell gave {i.Interrupted}; after: {i.After}");
        return $"interrupted in {i.InterruptToReply.TotalMilliseconds:0} ms";
    }
}
