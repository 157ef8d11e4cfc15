namespace KernelRegression.Faults;

/// <summary>
/// What a fault row must see, as data the judge reads (Judging/Judge.Faults): the harness sees the fault
/// within a bound and in the words it is known by, the deployment is back within its bound where that is
/// measured, and a student gets the expected answer after it. Patterns are regular expressions; bounds
/// scale with KR_TIMEOUT_SCALE, as every deadline does.
/// </summary>
public sealed record FaultExpectation(string Fault, TimeSpan DetectWithin, string DetectedBy, string After)
{
    /// <summary>How long the deployment may take to be back, counted from the fault's start (null: not judged).</summary>
    public TimeSpan? RecoverWithin { get; init; }

    /// <summary>How long one probe waits for an answer before it counts as unanswered (the faults detected by silence).</summary>
    public static readonly TimeSpan Probe = TimeSpan.FromSeconds(2);

    /// <summary>
    /// Every fault. Detection counts from when the fault's action returned (OutageWatch); recovery from the
    /// fault's start. Measured here on 2026-12-06 (process / docker tier, KR_TIMEOUT_SCALE=3, load 11-13,
    /// then counted from the fault's start): kill-kernel seen in 0.01 / 0.15 s (the harness watches the
    /// kernel's process, no waiting for the restarter's 3 s poll); freeze 2.0 / 2.2 s, pause 2.1 s, network
    /// cut 2.4 s (the first unanswered probe: its 2 s and the action's own time); kill-server 0.08 / 2.1 s;
    /// proxy restart 0.01 / 0.26 s (back after 1.4 / 6.0 s); hub restart 0.2 / 0.06 s (back after 2.6 / 7.5 s).
    /// A cold CI run (scale 1, images building) saw the network cut 5.7 s after it began: the action, a
    /// container that runs iptables in the server's network, took seconds to start; hence the count from
    /// the action's return. Each bound leaves a few seconds (scaled) over that for a loaded machine.
    /// </summary>
    public static IReadOnlyList<FaultExpectation> All { get; } =
    [
        new("kill-kernel", Deadline.Of(2), "^kernel process [0-9]+ .*exited", "^'back'$"),
        new("freeze-kernel", Probe + Deadline.Of(1), "^no kernel_info_reply within", "^'thawed'$"),
        new("kill-server", Probe + Deadline.Of(3), "^the server's status not answered", "^'respawned'; homework.ipynb survived: True$"),
        new("restart-proxy", Deadline.Of(10), "^the server's status through the proxy not answered", "^'routed'$") { RecoverWithin = Deadline.Of(60) },
        new("restart-hub", Deadline.Of(10), "^the hub's API not answered.*server ready: True$", "^'still here'$") { RecoverWithin = Deadline.Of(60) },
        new("pause-server", Probe + Deadline.Of(1), "^no kernel_info_reply within", "^'unpaused'$"),
        new("network-partition", Probe + Deadline.Of(2), "^no kernel_info_reply within .*and no server status", "^'kept'"),
    ];

    public static FaultExpectation Of(string fault) =>
        All.FirstOrDefault(e => e.Fault == fault)
        ?? throw new HarnessException($"no expectation for the fault '{fault}'", $"use one of: {string.Join(", ", All.Select(e => e.Fault))}");
}
