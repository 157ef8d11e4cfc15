using System.Text;

namespace KernelRegression.Logs;

/// <summary>
/// Feeds a <see cref="LogTail"/> from a file another process appends to, on inotify events
/// (FileSystemWatcher), so a kernel's last line reaches the harness as it is written.
/// The file may not exist yet when following starts.
/// </summary>
public sealed class LogFileFollower : IDisposable
{
    private readonly string _path;
    private readonly LogTail _tail;
    private readonly FileSystemWatcher _watcher;
    private readonly Lock _gate = new();
    private readonly LineAssembler _lines;
    private long _position;

    public LogFileFollower(string path, LogTail tail)
    {
        _path = path;
        _tail = tail;
        _lines = new LineAssembler(tail);
        var dir = Path.GetDirectoryName(path)!;
        Directory.CreateDirectory(dir);
        _watcher = new FileSystemWatcher(dir, Path.GetFileName(path))
        {
            NotifyFilter = NotifyFilters.FileName | NotifyFilters.LastWrite | NotifyFilters.Size,
        };
        _watcher.Changed += (_, _) => ReadNew();
        _watcher.Created += (_, _) => ReadNew();
        _watcher.EnableRaisingEvents = true;
        ReadNew();
    }

    public LogTail Tail => _tail;

    /// <summary>Reads whatever was appended since the last read; safe to call any time.</summary>
    public void ReadNew()
    {
        lock (_gate)
        {
            try
            {
                using var stream = new FileStream(_path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
                if (stream.Length < _position)
                {
                    _position = 0; // truncated or replaced
                }
                stream.Seek(_position, SeekOrigin.Begin);
                using var reader = new StreamReader(stream, Encoding.UTF8);
                var text = reader.ReadToEnd();
                _position = stream.Position;
                _lines.Append(text);
            }
            catch (FileNotFoundException)
            {
            }
            catch (DirectoryNotFoundException)
            {
            }
        }
    }

    public void Dispose()
    {
        _watcher.Dispose();
        ReadNew();
        _tail.Dispose();
    }
}
