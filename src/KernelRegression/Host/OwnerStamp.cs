namespace KernelRegression.Host;

/// <summary>"pid starttime" of a process: tells a live owner from a dead one whose pid was reused.</summary>
internal static class OwnerStamp
{
    public static string Current() => Of(Environment.ProcessId) ?? $"{Environment.ProcessId} 0";

    public static string? Of(int pid) => Host.LocalProcess.Of(pid).StartTime is { } start ? $"{pid} {start}" : null;

    public static bool IsAlive(string stamp)
    {
        var pid = int.TryParse(stamp.Split(' ')[0], out var p) ? p : -1;
        return pid > 0 && Of(pid) == stamp.Trim();
    }
}
