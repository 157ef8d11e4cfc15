using System.Globalization;
using Microsoft.Extensions.Logging;

namespace KernelRegression.Cli;

/// <summary>
/// kr's log of one command's run, kr.log in its report folder: the progress it printed, Testcontainers' own lines
/// (kept off the console, where they interleaved with the run's), and an unexpected error's whole trace. Lines
/// written before the folder is known are kept and written when it is. Every line passes the redactor.
/// </summary>
internal static class RunLog
{
    public const string FileName = "kr.log";
    private static readonly Lock Gate = new();
    private static readonly List<string> Early = [];
    private static StreamWriter? _file;

    /// <summary>The log file, once a command has opened it.</summary>
    public static string? FilePath { get; private set; }

    /// <summary>The logger Testcontainers writes to (TestcontainersSettings.Logger).</summary>
    public static ILogger Testcontainers { get; } = new TestcontainersLog();

    /// <summary>Starts the log in the run's folder, with what was written so far.</summary>
    public static void Open(string folder, string fileName = FileName)
    {
        lock (Gate)
        {
            if (_file is not null)
            {
                return;
            }
            Directory.CreateDirectory(folder);
            var path = Path.Combine(folder, fileName);
            _file = new StreamWriter(path, append: true) { AutoFlush = true };
            FilePath = path;
            foreach (var line in Early)
            {
                _file.WriteLine(line);
            }
            Early.Clear();
        }
    }

    public static void Write(string line)
    {
        var stamped = $"{DateTime.UtcNow.ToString("HH:mm:ss.fff", CultureInfo.InvariantCulture)} {Secrets.Redact(line)}";
        lock (Gate)
        {
            if (_file is null)
            {
                Early.Add(stamped);
            }
            else
            {
                _file.WriteLine(stamped);
            }
        }
    }

    /// <summary>
    /// Writes an unexpected error's trace to the log, or, when no run folder was reached, to a file of its own
    /// beside the run folders (else in the temp folder); returns the file's path.
    /// </summary>
    public static string Error(Exception e)
    {
        Write($"harness error: {e}");
        lock (Gate)
        {
            if (FilePath is not null)
            {
                return FilePath;
            }
        }
        var name = $"kr-error-{DateTime.UtcNow.ToString("yyyyMMdd-HHmmss", CultureInfo.InvariantCulture)}.log";
        foreach (var folder in new[] { Path.GetFullPath(Settings.Output), Path.GetTempPath() })
        {
            try
            {
                Open(folder, name);
                return FilePath!;
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                // Not writable: the next folder.
            }
        }
        return "(no folder could be written: the trace is lost)";
    }

    /// <summary>Testcontainers' lines ("Docker container … created"), one log line each.</summary>
    private sealed class TestcontainersLog : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel >= LogLevel.Information;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (IsEnabled(logLevel))
            {
                Write($"testcontainers {logLevel}: {formatter(state, exception)}{(exception is null ? "" : $" ({exception.GetType().Name}: {exception.Message})")}");
            }
        }
    }
}
