namespace KernelRegression.Checks;

/// <summary>The kernel stays alive: for the window no restarting/dead status, still listed by the server, still answers.</summary>
public sealed class StaysAliveCheck() : Check("stays-alive", CheckNeeds.Kernel, destructive: false,
    "for the window (default 10 s) no restarting/dead status, still listed by the server, still answers")
{
    public override async Task<string> RunAsync(CellSession session, CancellationToken ct)
    {
        var kernel = await session.KernelAsync(ct);
        var a = await KernelChecks.StaysAliveAsync(session.Student!, kernel, session.Options.AliveWindow, ct);
        Expect.That(a.Events.Count == 0 && a.StillListed && a.Answer == "'alive'", $"events {string.Join(", ", a.Events)}; listed {a.StillListed}");
        return $"{session.Options.AliveWindow.TotalSeconds:0} s without restarting/dead";
    }
}
