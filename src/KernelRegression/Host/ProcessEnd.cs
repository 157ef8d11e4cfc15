using System.Globalization;

namespace KernelRegression.Host;

/// <summary>How a process ended, from its wait status: an exit code, or the signal that killed it.</summary>
public sealed record ProcessEnd(int WaitStatus)
{
    /// <summary>The signal that killed it (SIGKILL is 9), or null when it exited.</summary>
    public int? Signal => (WaitStatus & 0x7f) is var s and > 0 and < 0x7f ? s : null;

    /// <summary>The exit code, or null when a signal killed it.</summary>
    public int? ExitCode => Signal is null ? (WaitStatus >> 8) & 0xff : null;

    /// <summary>Killed by SIGKILL, or a shell's exit 137 for a child that was (a wrapper that did not exec).</summary>
    public bool Sigkilled => Signal == Signals.Kill || ExitCode == 128 + Signals.Kill;

    public static ProcessEnd Exited(int code) => new(code << 8);

    public static ProcessEnd KilledBy(int signal) => new(signal);

    public override string ToString() => Signal is { } s
        ? $"killed by {Name(s)}"
        : ExitCode is 137 ? "exit 137 (a shell's code for a child killed by SIGKILL)" : $"exit {ExitCode?.ToString(CultureInfo.InvariantCulture)}";

    private static string Name(int signal) => signal switch
    {
        1 => "SIGHUP",
        2 => "SIGINT",
        3 => "SIGQUIT",
        4 => "SIGILL",
        6 => "SIGABRT",
        7 => "SIGBUS",
        8 => "SIGFPE",
        9 => "SIGKILL",
        11 => "SIGSEGV",
        13 => "SIGPIPE",
        15 => "SIGTERM",
        _ => "signal " + signal.ToString(CultureInfo.InvariantCulture),
    };
}
