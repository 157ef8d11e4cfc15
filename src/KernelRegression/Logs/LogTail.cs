using System.Collections.Concurrent;

namespace KernelRegression.Logs;

/// <summary>
/// A live log (hub, server, container): keeps every line with its arrival time, lets a waiter
/// react to a line as it arrives (event-driven readiness), and appends to a file for the run folder.
/// </summary>
public sealed class LogTail : IDisposable
{
    private readonly ConcurrentQueue<(DateTimeOffset At, string Line)> _lines = new();
    private readonly List<(Func<string, bool> Match, TaskCompletionSource<string> Done)> _waiters = [];
    private readonly Lock _gate = new();
    private readonly StreamWriter? _file;

    public LogTail(string name, string? filePath = null)
    {
        Name = name;
        FilePath = filePath;
        if (filePath is not null)
        {
            _file = new StreamWriter(filePath, append: true) { AutoFlush = true };
        }
    }

    public string Name { get; }
    public string? FilePath { get; }
    public int Count => _lines.Count;

    public void Append(string line)
    {
        var at = DateTimeOffset.UtcNow;
        _lines.Enqueue((at, line));
        lock (_gate)
        {
            _file?.WriteLine(line);
            for (var i = _waiters.Count - 1; i >= 0; i--)
            {
                if (_waiters[i].Match(line))
                {
                    _waiters[i].Done.TrySetResult(line);
                    _waiters.RemoveAt(i);
                }
            }
        }
    }

    /// <summary>
    /// Completes when a line matching <paramref name="match"/> arrives (or has arrived since
    /// <paramref name="fromLine"/>). Cancelling <paramref name="ct"/> gives up the wait and removes it, so
    /// a wait that timed out is not matched against every later line of a long-lived log.
    /// </summary>
    public Task<string> WaitForLineAsync(Func<string, bool> match, int fromLine = 0, CancellationToken ct = default)
    {
        TaskCompletionSource<string> tcs;
        lock (_gate)
        {
            var seen = _lines.Skip(fromLine).Select(l => l.Line).FirstOrDefault(match);
            if (seen is not null)
            {
                return Task.FromResult(seen);
            }
            tcs = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
            _waiters.Add((match, tcs));
        }
        if (ct.CanBeCanceled)
        {
            var registration = ct.Register(() =>
            {
                lock (_gate)
                {
                    _waiters.RemoveAll(w => w.Done == tcs);
                }
                tcs.TrySetCanceled(ct);
            });
            _ = tcs.Task.ContinueWith(_ => registration.Dispose(), CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
        }
        return tcs.Task;
    }

    public IReadOnlyList<string> LinesSince(int index) => _lines.Skip(index).Select(l => l.Line).ToList();

    public string Tail(int lines = 30) => string.Join('\n', _lines.Select(l => l.Line).TakeLast(lines));

    public void Dispose()
    {
        lock (_gate)
        {
            _file?.Dispose();
        }
    }
}
