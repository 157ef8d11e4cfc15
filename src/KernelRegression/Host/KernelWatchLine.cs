using System.Globalization;

namespace KernelRegression.Host;

/// <summary>One line of <see cref="KernelWatchScript"/>'s output, parsed; anything else is <see cref="Unreadable"/>.</summary>
public abstract record KernelWatchLine
{
    private KernelWatchLine()
    {
    }

    /// <summary>The script runs and looks for this kernel's processes.</summary>
    public sealed record Watching(string KernelId) : KernelWatchLine;

    /// <summary>A process of the kernel appeared; its parent's pid and command, and whether that parent is PID 1 where the script runs.</summary>
    public sealed record Found(int Pid, int ParentPid, bool ParentIsPid1, string ParentCommand) : KernelWatchLine;

    /// <summary>A process the script reported as found is gone.</summary>
    public sealed record Exited(int Pid) : KernelWatchLine;

    /// <summary>A line the script does not print (a shell's error, a truncated line).</summary>
    public sealed record Unreadable(string Line) : KernelWatchLine;

    public static KernelWatchLine Parse(string line)
    {
        var parts = line.TrimEnd('\r').Split(' ', 5);
        switch (parts[0])
        {
            case "watching" when parts.Length == 2 && parts[1].Length > 0:
                return new Watching(parts[1]);
            case "found" when parts.Length >= 4 && Number(parts[1]) is { } pid && pid > 0 && Number(parts[2]) is { } parent
                && parts[3] is "0" or "1":
                return new Found(pid, parent, parts[3] == "1", parts.Length == 5 ? parts[4].Trim() : "");
            case "exited" when parts.Length == 2 && Number(parts[1]) is { } pid && pid > 0:
                return new Exited(pid);
            default:
                return new Unreadable(line);
        }
    }

    private static int? Number(string s) =>
        s.Length > 0 && s.All(char.IsAsciiDigit) && int.TryParse(s, NumberStyles.None, CultureInfo.InvariantCulture, out var n) ? n : null;
}
