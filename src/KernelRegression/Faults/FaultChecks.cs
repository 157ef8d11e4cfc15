using System.Diagnostics;
using KernelRegression.Checks;
using KernelRegression.Host;
using KernelRegression.Jupyter;
using KernelRegression.Tiers;
using KernelRegression.Students;

namespace KernelRegression.Faults;

/// <summary>
/// What a fault did and how the deployment and the harness answered it, as measured: when the harness first
/// saw the fault after it took effect, i.e. after the action that made it returned (null: it never did), how it saw it, when the deployment was back (null: not
/// measured), and what a student got after it. What that means is the judge's (Judging/Judge.Faults).
/// </summary>
public sealed record FaultEvidence(string Fault, TimeSpan? Detected, string DetectedBy, TimeSpan? Recovered, string After);

/// <summary>
/// Break a running deployment on purpose and measure: when the harness saw it (an event, a status, or the
/// first probe that went unanswered, <see cref="OutageWatch"/>), and whether the deployment recovered
/// (kernel back, server back, routes back). Tier-agnostic: the tier does the breaking.
/// </summary>
public static class FaultChecks
{
    /// <summary>SIGKILL the kernel: the harness sees it die (its process, its status, the restarter's line); the restarter brings it back and it runs code again.</summary>
    public static async Task<FaultEvidence> KillKernelAsync(Student student, KernelConnection kernel, IKernelSignals tier, CancellationToken ct)
    {
        await KernelChecks.ExecutesAsync(student, kernel, "kr_before_kill = 1", ct);
        var log = student.Deployment.ServerLog(student.Name, student.ServerName);
        var logFrom = log.Count;
        var sw = Stopwatch.StartNew();
        await tier.SignalKernelAsync(student.Name, student.ServerName, kernel.KernelId, Signals.Kill, ct);
        var signalled = sw.Elapsed;
        // Where the tier watches the process the death is seen at once; elsewhere when the server's
        // restarter next polls (every 3 s).
        var watch = Deadline.Of(10);
        if (await Task.WhenAny(kernel.Died, Task.Delay(watch, ct)) != kernel.Died)
        {
            return new FaultEvidence("kill-kernel", null, $"no death within {watch.TotalSeconds:0} s of SIGKILL (no process exit, status or restarter line)", null, "not attempted");
        }
        var death = await kernel.Died;
        // Counted from the signal's delivery (the action returned), as OutageWatch counts: a death seen before is seen at once.
        var detected = sw.Elapsed - signalled;
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

    /// <summary>SIGSTOP the kernel: the first kernel_info_request it leaves unanswered is the detection; SIGCONT: it answers again.</summary>
    public static async Task<FaultEvidence> FreezeKernelAsync(Student student, KernelConnection kernel, IKernelSignals tier, TimeSpan probe, CancellationToken ct)
    {
        var outage = await OutageWatch.WatchAsync($"no kernel_info_reply within {probe.TotalSeconds:0.#} s", t => kernel.RespondsWithinAsync(probe, t),
            () => tier.SignalKernelAsync(student.Name, student.ServerName, kernel.KernelId, Signals.Stop, ct), Deadline.Of(10), ct);
        await tier.SignalKernelAsync(student.Name, student.ServerName, kernel.KernelId, Signals.Cont, ct);
        var thawed = Stopwatch.StartNew();
        await kernel.KernelInfoAsync(Deadline.Of(15), ct);
        var after = await KernelChecks.ExecutesAsync(student, kernel, "'thawed'", ct);
        return new FaultEvidence("freeze-kernel", outage.Detected, outage.Seen, thawed.Elapsed, after.Result ?? after.ToString());
    }

    /// <summary>Kill the single-user server: the first status request it leaves unanswered is the detection; a new spawn works, the user's files survive.</summary>
    public static async Task<FaultEvidence> KillServerAsync(Student student, IServerKill tier, CancellationToken ct)
    {
        var notebook = System.Text.Json.Nodes.JsonNode.Parse("""{"cells":[],"metadata":{},"nbformat":4,"nbformat_minor":5}""")!;
        await student.Server.PutNotebookAsync("homework.ipynb", notebook, ct);
        var sw = Stopwatch.StartNew();
        // A killed container's address just goes silent: no answer within 2 s counts as gone.
        var outage = await OutageWatch.WatchAsync("the server's status not answered within 2 s", t => AnswersWithinAsync(student, TimeSpan.FromSeconds(2), t),
            () => tier.KillServerAsync(student.Name, student.ServerName, ct), Deadline.Of(15), ct);
        await student.SpawnServerAsync(ct);
        var survived = await student.Server.FileExistsAsync("homework.ipynb", ct);
        await using var kernel = await student.StartKernelAsync(ct);
        var after = await KernelChecks.ExecutesAsync(student, kernel, "'respawned'", ct);
        return new FaultEvidence("kill-server", outage.Detected, outage.Seen, sw.Elapsed, $"{after.Result}; homework.ipynb survived: {survived}");
    }

    /// <summary>
    /// Restart the proxy: the outage is seen (a request through the proxy fails), routes come back and the
    /// kernel is reachable again through a new connection. Detected and recovered are measured by a probe
    /// of the user's server through the proxy every 100 ms while the tier restarts it.
    /// </summary>
    public static async Task<FaultEvidence> RestartProxyAsync(Student student, IProxyRestart tier, CancellationToken ct)
    {
        var (outage, recovered) = await OutageAsync("the server's status through the proxy not answered within 1 s", t => AnswersWithinAsync(student, TimeSpan.FromSeconds(1), t),
            () => tier.RestartProxyAsync(ct), Deadline.Of(60), ct);
        await using var kernel = await student.StartKernelAsync(ct);
        var after = await KernelChecks.ExecutesAsync(student, kernel, "'routed'", ct);
        return new FaultEvidence("restart-proxy", outage.Detected, outage.Seen, recovered, after.Result ?? after.ToString());
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
        var (outage, recovered) = await OutageAsync("the hub's API not answered within 1 s", t => AnswersWithinAsync(u => deployment.Hub.GetVersionAsync(u), TimeSpan.FromSeconds(1), t),
            () => tier.RestartHubAsync(ct), Deadline.Of(60), ct);
        var (socket, same) = await SameKernelAsync(student, kernel, ct);
        await using var _ = socket == kernel ? null : socket;
        var during = await KernelChecks.ExecutesAsync(student, socket, "kr_survivor", ct);
        var user = await deployment.Hub.GetUserAsync(student.Name, ct);
        var ready = user?["servers"]?[student.ServerName]?["ready"]?.GetValue<bool>() == true;
        return new FaultEvidence("restart-hub", outage.Detected, $"{outage.Seen}; {same}; server ready: {ready}", recovered, during.Result ?? during.ToString());
    }

    /// <summary>
    /// An outage and its end: detected as <see cref="OutageWatch"/> measures it (probing up to 5 s past the
    /// fault's action, which may return before the outage begins), recovered when the same probe is
    /// answered again, counted from the fault's start.
    /// </summary>
    private static async Task<(Outage Outage, TimeSpan Recovered)> OutageAsync(string silence, Func<CancellationToken, Task<bool>> answers, Func<Task> fault, TimeSpan timeout, CancellationToken ct)
    {
        var outage = await OutageWatch.WatchAsync(silence, answers, fault, Deadline.Of(5), ct);
        var sw = Stopwatch.StartNew();
        var back = await Eventually.TrueAsync("the deployment to answer again after the fault", answers, timeout, ct);
        return (outage with { Seen = $"{outage.Seen}; {back}" }, outage.Watched + sw.Elapsed);
    }

    /// <summary>docker pause freezes the whole server: the first kernel_info_request it leaves unanswered is the detection; unpaused, the same kernel runs code.</summary>
    public static async Task<FaultEvidence> PauseServerAsync(Student student, KernelConnection kernel, IServerPause tier, TimeSpan probe, CancellationToken ct)
    {
        var outage = await OutageWatch.WatchAsync($"no kernel_info_reply within {probe.TotalSeconds:0.#} s", t => kernel.RespondsWithinAsync(probe, t),
            () => tier.PauseServerAsync(student.Name, student.ServerName, true, ct), Deadline.Of(10), ct);
        await tier.PauseServerAsync(student.Name, student.ServerName, false, ct);
        var thawed = Stopwatch.StartNew();
        await kernel.KernelInfoAsync(Deadline.Of(15), ct);
        var after = await KernelChecks.ExecutesAsync(student, kernel, "'unpaused'", ct);
        return new FaultEvidence("pause-server", outage.Detected, outage.Seen, thawed.Elapsed, after.Result ?? after.ToString());
    }

    /// <summary>
    /// Cut the network between hub/proxy and the server: the first kernel_info_request left unanswered is
    /// the detection, and the server's status must go unanswered too; heal it: they answer again, and the
    /// kernel is the same one (its variable kept).
    /// </summary>
    public static async Task<FaultEvidence> CutNetworkAsync(Student student, KernelConnection kernel, INetworkPartition tier, TimeSpan cut, CancellationToken ct)
    {
        await KernelChecks.ExecutesAsync(student, kernel, "kr_before_cut = 'kept'", ct);
        var outage = await OutageWatch.WatchAsync($"no kernel_info_reply within {cut.TotalSeconds:0.#} s", t => kernel.RespondsWithinAsync(cut, t),
            () => tier.PartitionServerAsync(student.Name, student.ServerName, true, ct), Deadline.Of(10), ct);
        var serverAnswered = await AnswersWithinAsync(student, TimeSpan.FromSeconds(2), ct);
        await tier.PartitionServerAsync(student.Name, student.ServerName, false, ct);
        var healed = Stopwatch.StartNew();
        await Eventually.TrueAsync("the server to answer through the proxy again", t => AnswersWithinAsync(student, TimeSpan.FromSeconds(2), t), Deadline.Of(30), ct);
        var (socket, same) = await SameKernelAsync(student, kernel, ct);
        await using var _ = socket == kernel ? null : socket;
        var after = await KernelChecks.ExecutesAsync(student, socket, "kr_before_cut", ct);
        var seen = serverAnswered ? $"{outage.Seen}; but the server still answered its status while cut" : $"{outage.Seen}; and no server status within 2 s";
        return new FaultEvidence("network-partition", outage.Detected, seen, healed.Elapsed, $"{after.Result ?? after.ToString()}; {same}");
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

    /// <summary>
    /// Whether a request answers within the probe time. The deployment's own failures (an error status, a
    /// refused connection, the probe's own timeout) are "no"; anything the harness broke on is thrown, as the
    /// harness error it is.
    /// </summary>
    private static async Task<bool> AnswersWithinAsync(Func<CancellationToken, Task> request, TimeSpan within, CancellationToken ct)
    {
        using var probe = CancellationTokenSource.CreateLinkedTokenSource(ct);
        probe.CancelAfter(within);
        try
        {
            await request(probe.Token);
            return true;
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
            return false;
        }
        catch (Exception e) when (!Blame.IsHarness(e))
        {
            return false;
        }
    }
}
