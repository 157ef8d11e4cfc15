using System.Globalization;
using System.Text;
using KernelRegression.Host;

namespace KernelRegression.Evidence;

/// <summary>
/// The incident's control as it went: the cell's image and user options launched again with an init as
/// PID 1, its kernel started the same way (the same kernelspec, the same files in the home). Either it
/// kept its kernel alive (answered kernel_info, ran code, still alive after the window), or its kernel
/// died too, or it could not run, or there was no control to run (and why).
/// </summary>
public sealed record ControlLaunch
{
    /// <summary>What was launched: "kubespawner-pr34-command with an init as PID 1 (docker --init)".</summary>
    public string Launch { get; init; } = "";

    /// <summary>Why no control ran: the tier cannot launch one, or the launch has an init already.</summary>
    public string? NotRun { get; init; }

    /// <summary>The control itself broke (its spawn failed, a deadline): no verdict either way.</summary>
    public string? Failed { get; init; }

    /// <summary>From its kernel's POST to kernel_info answered and idle.</summary>
    public TimeSpan? AnsweredAfter { get; init; }

    /// <summary>How long it was watched alive after it answered, and ran code at the end.</summary>
    public TimeSpan? AliveFor { get; init; }

    /// <summary>Its kernel's death, as seen (when, how).</summary>
    public string? Died { get; init; }

    /// <summary>Whether its server was PID 1 after all (from its process tree; null when not read).</summary>
    public bool? ServerIsPid1 { get; init; }

    /// <summary>What PID 1 of the control's server was (docker-init, or a pod's /pause, as asked).</summary>
    public string? Pid1 { get; init; }

    /// <summary>The control's whole run: its spawn, kernel, window and stop.</summary>
    public TimeSpan? Took { get; init; }

    public IReadOnlyList<KernelProcessSeen> KernelProcesses { get; init; } = [];

    public static ControlLaunch None(string why) => new() { NotRun = why };

    /// <summary>The difference shown: under the init its kernel answered and outlived the window.</summary>
    public bool KeptKernelAlive => NotRun is null && Failed is null && Died is null && AnsweredAfter is not null && AliveFor is not null && ServerIsPid1 != true;

    public bool KernelDiedToo => NotRun is null && Failed is null && Died is not null;

    /// <summary>One clause for a cause line.</summary>
    public string Summary =>
        NotRun is { } why ? $"no control ({why})"
        : Failed is { } failed ? $"the control ({Launch}) could not run: {failed}"
        : Died is { } died ? $"the control ({Launch}) lost its kernel too: {died}"
        : ServerIsPid1 == true ? $"the control ({Launch}) still ran its server as PID 1"
        : $"the control ({Launch}) kept its kernel alive: it answered kernel_info {Seconds(AnsweredAfter)} after its start and ran code {Seconds(AliveFor)} later";

    /// <summary>control.txt of the cell's evidence.</summary>
    public string Render()
    {
        var text = new StringBuilder();
        text.Append("control: ").Append(Launch.Length > 0 ? Launch : "(none)").Append('\n');
        text.Append("outcome: ").Append(Summary).Append('\n');
        if (Took is { } took)
        {
            text.Append("took: ").Append(Seconds(took)).Append(" (spawn, kernel start, window, stop)\n");
        }
        if (Pid1 is not null)
        {
            text.Append("PID 1: ").Append(Pid1).Append('\n');
        }
        foreach (var p in KernelProcesses)
        {
            text.Append(p).Append('\n');
        }
        return text.ToString();
    }

    private static string Seconds(TimeSpan? t) => (t ?? TimeSpan.Zero).TotalSeconds.ToString("0.0", CultureInfo.InvariantCulture) + " s";
}
