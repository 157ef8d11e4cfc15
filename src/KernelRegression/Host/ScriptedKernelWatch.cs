using System.Collections.Concurrent;

namespace KernelRegression.Host;

/// <summary>
/// The output of <see cref="KernelWatchScript"/> running where the kernel runs, and what to close to
/// stop it (an exec's connection). <paramref name="Errors"/>: the script's stderr, for the log.
/// </summary>
public sealed record KernelWatchFeed(Stream Output, Stream? Errors, IAsyncDisposable Connection)
{
    /// <summary>Where the script runs, for the log (a pod and container).</summary>
    public string Where { get; init; } = "";
}

/// <summary>
/// A kernel watch fed by the lines of <see cref="KernelWatchScript"/> (a pod's exec, a remote
/// container's): each "found" and "exited" becomes the same <see cref="KernelProcessSeen"/>
/// and events as <see cref="LocalKernelWatch"/>'s, lifetimes measured on the harness' clock from the
/// lines' arrival. A feed that cannot be opened, a line it cannot read and a feed that ends are
/// logged and leave the watch as it is: never a death. Only an "exited" line is one.
/// </summary>
public sealed class ScriptedKernelWatch : KernelWatch
{
    private const int MaxNotes = 50;
    private readonly Action<string> _log;
    private readonly CancellationTokenSource _stop = new();
    private readonly ConcurrentQueue<string> _notes = new();
    private int _unreadable;
    private string _where = "";

    public ScriptedKernelWatch(string kernelId, Action<string> log) : base(kernelId) => _log = log;

    /// <summary>What the watch said about itself (started, unreadable lines, ended, could not start), in order.</summary>
    public IReadOnlyList<string> Notes => [.. _notes];

    /// <summary>Whether the script said it runs.</summary>
    public bool Started { get; private set; }

    /// <summary>Completes when the feed has ended or could not be opened, and is closed.</summary>
    public Task Completion { get; private set; } = Task.CompletedTask;

    /// <summary>Opens the feed (<paramref name="open"/> throws to say why it cannot) and reads it until it ends or the watch is disposed.</summary>
    public static ScriptedKernelWatch Start(string kernelId, Func<CancellationToken, Task<KernelWatchFeed>> open, Action<string> log, CancellationToken ct)
    {
        var watch = new ScriptedKernelWatch(kernelId, log);
        var stop = CancellationTokenSource.CreateLinkedTokenSource(ct, watch._stop.Token);
        watch.Completion = Task.Run(async () =>
        {
            try
            {
                await watch.RunAsync(open, stop.Token);
            }
            finally
            {
                stop.Dispose();
            }
        }, CancellationToken.None);
        return watch;
    }

    /// <summary>One line of the script's output.</summary>
    public void Accept(string line)
    {
        switch (KernelWatchLine.Parse(line))
        {
            case KernelWatchLine.Watching w:
                Started = true;
                Note(w.KernelId == KernelId ? $"the watch script runs{_where}" : $"the watch script watches kernel {w.KernelId}, not this one");
                break;
            case KernelWatchLine.Found f:
                if (RecordFound(f.Pid, f.ParentPid, f.ParentCommand, f.ParentIsPid1) is null)
                {
                    Note($"process {f.Pid} reported found twice: the second ignored");
                }
                break;
            case KernelWatchLine.Exited x:
                if (RecordExit(x.Pid) is null)
                {
                    Note($"process {x.Pid} reported exited but not running: ignored");
                }
                break;
            case KernelWatchLine.Unreadable u:
                if (Interlocked.Increment(ref _unreadable) <= 5)
                {
                    Note($"unreadable line ignored: {Clip(u.Line)}");
                }
                break;
        }
    }

    /// <summary>Reads lines until the reader ends (or <paramref name="ct"/> is cancelled).</summary>
    public async Task ReadAsync(TextReader lines, CancellationToken ct)
    {
        while (await lines.ReadLineAsync(ct) is { } line)
        {
            Accept(line);
        }
    }

    private async Task RunAsync(Func<CancellationToken, Task<KernelWatchFeed>> open, CancellationToken ct)
    {
        KernelWatchFeed feed;
        try
        {
            feed = await open(ct);
            _where = feed.Where.Length > 0 ? $" in {feed.Where}" : "";
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            return;
        }
        catch (Exception e)
        {
            Note($"not watched, no process exit will be seen: {Message(e)}");
            return;
        }
        var closing = 0;
        async Task CloseAsync()
        {
            if (Interlocked.Exchange(ref closing, 1) == 0)
            {
                await feed.Connection.DisposeAsync();
            }
        }
        // A blocked read of an exec stream does not see the token: closing the connection ends it.
        var closeOnStop = ct.Register(() => _ = CloseAsync());
        var errors = feed.Errors is null ? Task.CompletedTask : LogErrorsAsync(feed.Errors);
        try
        {
            using var output = new StreamReader(feed.Output);
            await ReadAsync(output, ct);
            if (!ct.IsCancellationRequested)
            {
                Note(Running is { } r ? $"the watch script's output ended while process {r.Pid} ran: it stays \"running\", not a death" : "the watch script's output ended");
            }
        }
        catch (Exception e) when (e is OperationCanceledException or ObjectDisposedException && ct.IsCancellationRequested)
        {
        }
        catch (Exception e)
        {
            Note($"reading the watch script's output failed ({Message(e)}): no further process exit will be seen");
        }
        finally
        {
            await closeOnStop.DisposeAsync();
            await CloseAsync();
            await errors; // ends with the connection
        }
    }

    private async Task LogErrorsAsync(Stream errors)
    {
        using var reader = new StreamReader(errors);
        try
        {
            var n = 0;
            while (await reader.ReadLineAsync() is { } line)
            {
                if (++n <= 5)
                {
                    Note($"the watch script's stderr: {Clip(line)}");
                }
            }
        }
        catch (Exception e) when (e is ObjectDisposedException or IOException)
        {
        }
    }

    private void Note(string text)
    {
        if (_notes.Count < MaxNotes)
        {
            _notes.Enqueue(text);
        }
        _log($"kernel watch {KernelId}: {text}");
    }

    private static string Message(Exception e) => e is ActionableException h ? h.What : $"{e.GetType().Name}: {e.Message}";

    private static string Clip(string s) => s.Length > 120 ? s[..120] + "…" : s;

    protected override void Dispose(bool disposing)
    {
        if (disposing && !_stop.IsCancellationRequested)
        {
            _stop.Cancel();
            _stop.Dispose();
        }
    }
}
