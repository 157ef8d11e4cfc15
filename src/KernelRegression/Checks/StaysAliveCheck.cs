namespace KernelRegression.Checks;

/// <summary>The kernel stays alive: for the window no restarting/dead status, still listed by the server, still answers.</summary>
public sealed class StaysAliveCheck : ICheck
{
    public string Name => "stays-alive";
    public string Description => "for the window (default 10 s) no restarting/dead status, still listed by the server, still answers";
    public CheckNeeds Needs => CheckNeeds.Kernel;
    public bool Destructive => false;

    public async Task<string> RunAsync(CellSession session, CancellationToken ct)
    {
        var kernel = await session.KernelAsync(ct);
        var a = await KernelChecks.StaysAliveAsync(session.Student!, kernel, session.Options.AliveWindow, ct);
        Expect.That(a.Events.Count == 0 && a.StillListed && a.Answer == "'alive'", $"events {string.Join(", ", a.Events)}; listed {a.StillListed}");
        return $"{session.Options.AliveWindow.TotalSeconds:0} s without restarting/dead";
    }
}
