using System.Globalization;

namespace KernelRegression.Host;

/// <summary>
/// A process of this machine as /proc shows it, each file read once and on demand. A process may exit
/// while it is read: what is gone reads as empty. The one /proc reader of the run sweep, the fault
/// injectors, the kernel watch and the evidence.
/// </summary>
public sealed class LocalProcess
{
    private string? _commandLine;
    private string[]? _environment;
    private string[]? _stat;

    private LocalProcess(int pid) => Pid = pid;

    public int Pid { get; }

    /// <summary>Every process this machine shows, except the caller itself.</summary>
    public static IEnumerable<LocalProcess> All()
    {
        foreach (var dir in Directory.EnumerateDirectories("/proc"))
        {
            if (int.TryParse(Path.GetFileName(dir), out var pid) && pid != System.Environment.ProcessId)
            {
                yield return new LocalProcess(pid);
            }
        }
    }

    public static LocalProcess Of(int pid) => new(pid);

    /// <summary>The arguments joined by spaces; "" once gone.</summary>
    public string CommandLine => _commandLine ??= Read("cmdline").Replace('\0', ' ').Trim();

    /// <summary>NAME=value entries; empty once gone or when not ours to read.</summary>
    public IReadOnlyList<string> Environment => _environment ??= Read("environ").Split('\0', StringSplitOptions.RemoveEmptyEntries);

    public string? Variable(string name) =>
        Environment.FirstOrDefault(e => e.Length > name.Length && e[name.Length] == '=' && e.StartsWith(name, StringComparison.Ordinal))?[(name.Length + 1)..];

    public int? ParentPid => StatField(1) is { } f ? int.Parse(f, CultureInfo.InvariantCulture) : null;

    /// <summary>Start time in clock ticks since boot: with the pid, tells a process from a later one that reused its pid.</summary>
    public string? StartTime => StatField(19);

    /// <summary>
    /// How an exited process ended, while it is a zombie its parent has not reaped yet: the wait status
    /// (/proc/PID/stat's exit_code, Linux 3.5+); null while it runs, or once it is gone.
    /// </summary>
    public ProcessEnd? End => StatField(0) == "Z" && StatField(49) is { } code && int.TryParse(code, CultureInfo.InvariantCulture, out var status)
        ? new ProcessEnd(status)
        : null;

    /// <summary>The pid inside the process's own (innermost) pid namespace: 1 for a container's first process.</summary>
    public int? NamespacePid =>
        Read("status").Split('\n').FirstOrDefault(l => l.StartsWith("NSpid:", StringComparison.Ordinal))?
            .Split('\t', StringSplitOptions.RemoveEmptyEntries).LastOrDefault() is { } ns && int.TryParse(ns, CultureInfo.InvariantCulture, out var n) ? n : null;

    public int? Uid =>
        Read("status").Split('\n').FirstOrDefault(l => l.StartsWith("Uid:", StringComparison.Ordinal))?.Split('\t')[1] is { } uid
            ? int.Parse(uid, CultureInfo.InvariantCulture) : null;

    /// <summary>Fields of /proc/PID/stat after the command name (which may hold spaces), from 0 = state.</summary>
    private string? StatField(int index)
    {
        if (_stat is null)
        {
            var stat = Read("stat");
            _stat = stat.Length == 0 ? [] : stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        }
        return index < _stat.Length ? _stat[index] : null;
    }

    private string Read(string file)
    {
        try
        {
            return File.ReadAllText($"/proc/{Pid}/{file}");
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return "";
        }
    }
}
