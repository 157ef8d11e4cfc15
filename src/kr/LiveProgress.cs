using System.Diagnostics;

namespace KernelRegression.Cli;

/// <summary>
/// Long work said as it goes. On a terminal: a status line (Spectre's) under the lines the work prints, with the
/// elapsed time and the current step, redrawn every second. Elsewhere (CI, a pipe, a file): each line as it comes,
/// stamped with the elapsed time, and when nothing was printed for 30 s one line saying what is still going (a
/// 9-minute image build prints nothing between its steps). Every line also goes to the run's log.
/// </summary>
internal sealed class LiveProgress
{
    /// <summary>How long a pipe may go without a line before one says the work is still going.</summary>
    public static readonly TimeSpan Quiet = TimeSpan.FromSeconds(30);

    private readonly Stopwatch _clock = Stopwatch.StartNew();
    private readonly Lock _gate = new();
    private TimeSpan _lastLine;
    private string _step;

    private LiveProgress(string step) => _step = step;

    /// <summary>Runs <paramref name="work"/> with progress, starting at <paramref name="step"/>.</summary>
    public static async Task<T> RunAsync<T>(string step, Func<LiveProgress, Task<T>> work, CancellationToken ct)
    {
        var progress = new LiveProgress(step);
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(ct);
        if (Terminal.IsTerminal)
        {
            return await AnsiConsole.Status().StartAsync(Markup.Escape(step), async status =>
            {
                var ticker = TickAsync(TimeSpan.FromSeconds(1), () => status.Status(progress.StatusMarkup()), stop.Token);
                try
                {
                    return await work(progress);
                }
                finally
                {
                    await stop.CancelAsync();
                    await ticker;
                }
            });
        }
        var heartbeat = TickAsync(TimeSpan.FromSeconds(5), progress.SayStillGoing, stop.Token);
        try
        {
            return await work(progress);
        }
        finally
        {
            await stop.CancelAsync();
            await heartbeat;
        }
    }

    public TimeSpan Elapsed => _clock.Elapsed;

    /// <summary>A new current step, not printed: the status line (or the next "still going" line) says it.</summary>
    public void Status(string text)
    {
        lock (_gate)
        {
            _step = text;
        }
    }

    /// <summary>A new current step, printed as a grey line.</summary>
    public void Step(string text)
    {
        lock (_gate)
        {
            _step = text;
        }
        Line($"[grey]{Markup.Escape(Stamp(text))}[/]", text);
    }

    /// <summary>A line of the run's own (a cell's outcome): <paramref name="markup"/> on the console, <paramref name="plain"/> in the log.</summary>
    public void Line(string markup, string plain)
    {
        lock (_gate)
        {
            _lastLine = _clock.Elapsed;
        }
        AnsiConsole.MarkupLine(markup);
        RunLog.Write(plain);
    }

    /// <summary>A terminal shows the time in its status line; a log needs it on the line.</summary>
    private string Stamp(string text) => Terminal.IsTerminal ? text : $"[{Format(_clock.Elapsed)}] {text}";

    private string StatusMarkup()
    {
        lock (_gate)
        {
            return $"[bold]{Format(_clock.Elapsed)}[/] {Markup.Escape(_step)}";
        }
    }

    private void SayStillGoing()
    {
        string step;
        lock (_gate)
        {
            if (_clock.Elapsed - _lastLine < Quiet)
            {
                return;
            }
            step = _step;
        }
        Line($"[grey]{Markup.Escape($"[{Format(_clock.Elapsed)}] still going: {step}")}[/]", $"still going: {step}");
    }

    private static async Task TickAsync(TimeSpan every, Action tick, CancellationToken ct)
    {
        using var timer = new PeriodicTimer(every);
        try
        {
            while (await timer.WaitForNextTickAsync(ct))
            {
                tick();
            }
        }
        catch (OperationCanceledException)
        {
            // The work is over.
        }
    }

    private static string Format(TimeSpan t) => t.TotalHours >= 1 ? $"{(int)t.TotalHours}:{t:mm\\:ss}" : $"{t:mm\\:ss}";
}
