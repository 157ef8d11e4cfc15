using System.Diagnostics;
using KernelRegression.Checks;
using KernelRegression.Host;
using KernelRegression.Jupyter;
using KernelRegression.Tiers;

namespace KernelRegression.Faults;

/// <summary>What a fault did and how the deployment and the harness answered it.</summary>
public sealed record FaultEvidence(string Fault, TimeSpan Detected, string DetectedBy, TimeSpan Recovered, string After);

/// <summary>
/// Break a running deployment on purpose and measure: how fast the harness saw it, and whether the
/// deployment recovered (kernel back, server back, routes back). Tier-agnostic: the tier does the breaking.
/// </summary>
public static class FaultChecks
{
    /// <summary>SIGKILL the kernel: the server's restarter brings it back; the harness sees the restart and the kernel runs code again.</summary>
    public static async Task<FaultEvidence> KillKernelAsync(Student student, KernelConnection kernel, IKernelSignals tier, CancellationToken ct)
    {
        await KernelChecks.ExecutesAsync(student, kernel, "kr_before_kill = 1", ct);
        var log = student.Deployment.ServerLog(student.Name, student.ServerName);
        var logFrom = log.Count;
        var sw = Stopwatch.StartNew();
        await tier.SignalKernelAsync(student.Name, student.ServerName, kernel.KernelId, Signals.Kill, ct);
        // Where the tier watches the process the death is seen at once; elsewhere when the server's
        // restarter next polls (every 3 s).
        var death = await kernel.Died.WaitAsync(Deadline.Of(10), ct);
        var detected = sw.Elapsed;
        // Reconnect only once the server itself has relaunched the kernel (its debug log names the connection
        // file), or the new socket would wait on the dead one.
        await Deadline.RunAsync("the server to restart the killed kernel", Deadline.Of(15),
            t => log.WaitForLineAsync(l => l.Contains("Starting kernel", StringComparison.Ordinal) && l.Contains($"kernel-{kernel.KernelId}.json", StringComparison.Ordinal), logFrom, t),
            () => log.LinesSince(logFrom) is [.., var last] ? last : "nothing in the server log", ct);
        // As a browser does after "Kernel Restarting": a new channels connection to the same kernel id.
        var again = await student.ConnectKernelAsync(kernel.KernelId, ct);
        var after = await KernelChecks.ExecutesAsync(student, again, "'back'", ct);
        return new FaultEvidence("kill-kernel", detected, death.Source, sw.Elapsed, after.Result ?? after.ToString());
    }

    /// <summary>SIGSTOP the kernel: it stops answering (detected within the probe's timeout); SIGCONT: it answers again.</summary>
    public static async Task<FaultEvidence> FreezeKernelAsync(Student student, KernelConnection kernel, IKernelSignals tier, TimeSpan probe, CancellationToken ct)
    {
        var sw = Stopwatch.StartNew();
        await tier.SignalKernelAsync(student.Name, student.ServerName, kernel.KernelId, Signals.Stop, ct);
        var answered = await kernel.RespondsWithinAsync(probe, ct);
        var detected = sw.Elapsed;
        await tier.SignalKernelAsync(student.Name, student.ServerName, kernel.KernelId, Signals.Cont, ct);
        var thawed = Stopwatch.StartNew();
        await kernel.KernelInfoAsync(Deadline.Of(15), ct);
        var after = await KernelChecks.ExecutesAsync(student, kernel, "'thawed'", ct);
        return new FaultEvidence("freeze-kernel", detected, answered ? "it still answered: not frozen" : $"no kernel_info_reply within {probe.TotalSeconds:0.#} s", thawed.Elapsed, after.Result ?? after.ToString());
    }

    /// <summary>Kill the single-user server: the hub notices on the next spawn request, a new spawn works, the user's files survive.</summary>
    public static async Task<FaultEvidence> KillServerAsync(Student student, IServerKill tier, CancellationToken ct)
    {
        var notebook = System.Text.Json.Nodes.JsonNode.Parse("""{"cells":[],"metadata":{},"nbformat":4,"nbformat_minor":5}""")!;
        await student.Server.PutNotebookAsync("homework.ipynb", notebook, ct);
        var sw = Stopwatch.StartNew();
        await tier.KillServerAsync(student.Name, student.ServerName, ct);
        // A killed container's address just goes silent: no answer within 2 s counts as gone.
        var gone = await Eventually.TrueAsync("the dead server to stop answering",
            async t => !await AnswersWithinAsync(student, TimeSpan.FromSeconds(2), t), Deadline.Of(15), ct);
        var detected = sw.Elapsed;
        await student.SpawnServerAsync(ct);
        var survived = await student.Server.FileExistsAsync("homework.ipynb", ct);
        await using var kernel = await student.StartKernelAsync(ct);
        var after = await KernelChecks.ExecutesAsync(student, kernel, "'respawned'", ct);
        return new FaultEvidence("kill-server", detected, gone, sw.Elapsed, $"{after.Result}; homework.ipynb survived: {survived}");
    }

    /// <summary>
    /// Restart the proxy: the outage is seen (a request through the proxy fails), routes come back and the
    /// kernel is reachable again through a new connection. Detected and recovered are measured by a probe
    /// of the user's server through the proxy every 100 ms while the tier restarts it.
    /// </summary>
    public static async Task<FaultEvidence> RestartProxyAsync(Student student, IProxyRestart tier, CancellationToken ct)
    {
        var outage = await OutageAsync(t => AnswersWithinAsync(student, TimeSpan.FromSeconds(1), t), () => tier.RestartProxyAsync(ct), Deadline.Of(60), ct);
        await using var kernel = await student.StartKernelAsync(ct);
        var after = await KernelChecks.ExecutesAsync(student, kernel, "'routed'", ct);
        return new FaultEvidence("restart-proxy", outage.Detected, outage.Seen, outage.Recovered, after.Result ?? after.ToString());
    }

    /// <summary>
    /// Restart the hub: the hub's API goes away (seen by a probe every 100 ms), the running server and its
    /// kernel survive (a variable set before is still there) and the hub sees the server as ready again.
    /// Where the proxy restarts with the hub (the docker tier's hub runs it as a child) the open socket
    /// drops, and the kernel is reached on a new one.
    /// </summary>
    public static async Task<FaultEvidence> RestartHubAsync(Student student, KernelConnection kernel, IHubRestart tier, IHubDeployment deployment, CancellationToken ct)
    {
        await KernelChecks.ExecutesAsync(student, kernel, "kr_survivor = 'still here'", ct);
        var outage = await OutageAsync(async t => await HubAnswersAsync(deployment, t), () => tier.RestartHubAsync(ct), Deadline.Of(60), ct);
        var (socket, same) = await SameKernelAsync(student, kernel, ct);
        await using var _ = socket == kernel ? null : socket;
        var during = await KernelChecks.ExecutesAsync(student, socket, "kr_survivor", ct);
        var user = await deployment.Hub.GetUserAsync(student.Name, ct);
        var ready = user?["servers"]?[student.ServerName]?["ready"]?.GetValue<bool>() == true;
        return new FaultEvidence("restart-hub", outage.Detected, $"{outage.Seen}; {same}; server ready: {ready}", outage.Recovered, during.Result ?? during.ToString());
    }

    /// <summary>What a probe saw while a fault ran: when it first failed, and when it answered again after that.</summary>
    private sealed record Outage(TimeSpan Detected, TimeSpan Recovered, string Seen);

    /// <summary>
    /// Probes every 100 ms from the moment the fault starts until the first failure (at most 5 s after the
    /// fault is done): that is the detection time; the first success after it is the recovery time.
    /// </summary>
    private static async Task<Outage> OutageAsync(Func<CancellationToken, Task<bool>> answers, Func<Task> fault, TimeSpan timeout, CancellationToken ct)
    {
        var sw = Stopwatch.StartNew();
        TimeSpan? detected = null;
        using var probing = CancellationTokenSource.CreateLinkedTokenSource(ct);
        var probe = Task.Run(async () =>
        {
            while (!probing.IsCancellationRequested)
            {
                if (!await answers(probing.Token))
                {
                    detected ??= sw.Elapsed;
                    return;
                }
                await Task.Delay(100, probing.Token);
            }
        }, CancellationToken.None);
        await fault();
        var faultDone = sw.Elapsed;
        // A fault that only kills (the docker hub's proxy, restarted by the hub afterwards) returns before
        // the outage begins: keep probing a while after it for the first failure.
        await Task.WhenAny(probe, Task.Delay(Deadline.Of(5), ct));
        await probing.CancelAsync();
        await probe.ContinueWith(_ => { }, TaskScheduler.Default);
        var back = await Eventually.TrueAsync("the deployment to answer again after the fault", answers, timeout, ct);
        return detected is { } d
            ? new Outage(d, sw.Elapsed, $"outage seen {d.TotalSeconds:0.0} s after the fault began; {back}")
            : new Outage(faultDone, sw.Elapsed, $"no failed probe while the fault ran ({faultDone.TotalSeconds:0.0} s); {back}");
    }

    private static Task<bool> HubAnswersAsync(IHubDeployment deployment, CancellationToken ct) =>
        AnswersWithinAsync(t => deployment.Hub.GetVersionAsync(t), TimeSpan.FromSeconds(1), ct);

    /// <summary>docker pause freezes the whole server: nothing answers within the probe; unpaused, the same kernel runs code.</summary>
    public static async Task<FaultEvidence> PauseServerAsync(Student student, KernelConnection kernel, IServerPause tier, TimeSpan probe, CancellationToken ct)
    {
        var sw = Stopwatch.StartNew();
        await tier.PauseServerAsync(student.Name, student.ServerName, true, ct);
        var answered = await kernel.RespondsWithinAsync(probe, ct);
        var detected = sw.Elapsed;
        await tier.PauseServerAsync(student.Name, student.ServerName, false, ct);
        var thawed = Stopwatch.StartNew();
        await kernel.KernelInfoAsync(Deadline.Of(15), ct);
        var after = await KernelChecks.ExecutesAsync(student, kernel, "'unpaused'", ct);
        return new FaultEvidence("pause-server", detected, answered ? "it still answered: not paused" : $"no kernel_info_reply within {probe.TotalSeconds:0.#} s", thawed.Elapsed, after.Result ?? after.ToString());
    }

    /// <summary>
    /// Cut the network between hub/proxy and the server: the server and its kernel stop answering
    /// through the proxy; heal it: they answer again, and the kernel is the same one (its variable kept).
    /// </summary>
    public static async Task<FaultEvidence> CutNetworkAsync(Student student, KernelConnection kernel, INetworkPartition tier, TimeSpan cut, CancellationToken ct)
    {
        await KernelChecks.ExecutesAsync(student, kernel, "kr_before_cut = 'kept'", ct);
        var sw = Stopwatch.StartNew();
        await tier.PartitionServerAsync(student.Name, student.ServerName, true, ct);
        var kernelAnswered = await kernel.RespondsWithinAsync(cut, ct);
        var serverAnswered = await AnswersWithinAsync(student, TimeSpan.FromSeconds(2), ct);
        var detected = sw.Elapsed;
        await tier.PartitionServerAsync(student.Name, student.ServerName, false, ct);
        var healed = Stopwatch.StartNew();
        await Eventually.TrueAsync("the server to answer through the proxy again", t => AnswersWithinAsync(student, TimeSpan.FromSeconds(2), t), Deadline.Of(30), ct);
        var (socket, same) = await SameKernelAsync(student, kernel, ct);
        await using var _ = socket == kernel ? null : socket;
        var after = await KernelChecks.ExecutesAsync(student, socket, "kr_before_cut", ct);
        var seen = (kernelAnswered, serverAnswered) switch
        {
            (false, false) => $"no kernel_info_reply within {cut.TotalSeconds:0.#} s and no server status within 2 s",
            _ => $"still answered while cut: kernel {kernelAnswered}, server {serverAnswered}",
        };
        return new FaultEvidence("cut-network", detected, seen, healed.Elapsed, $"{after.Result ?? after.ToString()}; {same}");
    }

    /// <summary>The open socket if it still answers, else a new one to the same kernel id (what a browser does after "Connection lost").</summary>
    private static async Task<(KernelConnection Socket, string How)> SameKernelAsync(Student student, KernelConnection kernel, CancellationToken ct)
    {
        if (!kernel.Died.IsCompleted && await kernel.RespondsWithinAsync(TimeSpan.FromSeconds(5), ct))
        {
            return (kernel, "same socket");
        }
        var why = kernel.Died.IsCompleted ? kernel.Died.Result.Source : "the old socket went silent";
        return (await student.ConnectKernelAsync(kernel.KernelId, ct), $"new socket ({why})");
    }

    private static Task<bool> AnswersWithinAsync(Student student, TimeSpan within, CancellationToken ct) =>
        AnswersWithinAsync(t => student.Server.GetStatusAsync(t), within, ct);

    /// <summary>Whether a request answers within the probe time; a harness error or the probe's own timeout is "no".</summary>
    private static async Task<bool> AnswersWithinAsync(Func<CancellationToken, Task> request, TimeSpan within, CancellationToken ct)
    {
        using var probe = CancellationTokenSource.CreateLinkedTokenSource(ct);
        probe.CancelAfter(within);
        try
        {
            await request(probe.Token);
            return true;
        }
        catch (HarnessException)
        {
            return false;
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
            return false;
        }
    }
}
