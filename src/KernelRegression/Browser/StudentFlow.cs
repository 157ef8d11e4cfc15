using System.Diagnostics;
using Microsoft.Playwright;

namespace KernelRegression.Browser;

/// <summary>One student's pass through the UI; collects steps and evidence as it goes.</summary>
internal sealed partial class StudentFlow(ChromiumHost host, Uri hubUrl, string user, string password, BrowserOptions options, string shotPrefix)
{
    private readonly Stopwatch _clock = new();
    private readonly List<BrowserStep> _steps = [];
    private IBrowserContext _context = null!;
    private PageRecorder _recorder = null!;
    private IPage _page = null!;
    private NotebookUi? _ui;
    private string? _output;
    private string? _cleanup;
    /// <summary>Completes, saying how, when the browser goes away under the student (disconnected, the context closed).</summary>
    private readonly TaskCompletionSource<string> _lost = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private string ServerPrefix => $"/user/{Uri.EscapeDataString(user)}/";

    public async Task<BrowserRun> RunAsync(CancellationToken ct)
    {
        _clock.Start();
        _context = await host.Browser.NewContextAsync(new() { ViewportSize = new() { Width = 1280, Height = 800 } });
        // Every wait names its own deadline; anything else (reading the page for a cause) must not hang.
        _context.SetDefaultTimeout(NotebookUi.Ms(Deadline.Of(10)));
        host.Browser.Disconnected += OnDisconnected;
        _context.Close += OnContextClosed;
        string? failedStep = null, cause = null, failureShot = null;
        var harness = false;
        try
        {
            _recorder = await PageRecorder.AttachAsync(_context, _clock);
            _page = await _context.NewPageAsync();
            await _recorder.WatchAsync(_context, _page);
            // Pages the UI opens (the classic notebook's New opens a window) are watched as they come.
            _context.Page += (_, p) => _ = _recorder.WatchAsync(_context, p);

            await StepAsync(BrowserStudent.Login, LoginAsync, ct);
            await StepAsync(BrowserStudent.Spawn, SpawnAsync, ct);
            await StepAsync(BrowserStudent.UiLoaded, OpenUiAsync, ct);
            await StepAsync(BrowserStudent.KernelConnected, NewNotebookAsync, ct);
            await StepAsync(BrowserStudent.FirstOutput, RunCellAsync, ct);
        }
        catch (StepFailedException e)
        {
            (failedStep, cause, harness) = (e.Step, Secrets.Redact(e.Cause), e.Harness);
            failureShot = harness ? null : await ShootAsync("failure", fullPage: true);
        }
        finally
        {
            _context.Close -= OnContextClosed;
            host.Browser.Disconnected -= OnDisconnected;
            _cleanup = await LeaveNoTraceAsync();
            // Teardown has no timeout of Playwright's own: a browser too busy to answer must not hold the check.
            var teardown = Deadline.Of(20);
            try
            {
                await (_recorder?.DetachAsync() ?? Task.CompletedTask).WaitAsync(teardown, CancellationToken.None);
                await _context.CloseAsync().WaitAsync(teardown, CancellationToken.None);
            }
            catch (TimeoutException)
            {
                _cleanup = Joined(_cleanup, $"the browser did not close the student's context within {teardown.TotalSeconds:0} s (closed with the browser)");
            }
            catch (PlaywrightException e)
            {
                _cleanup = Joined(_cleanup, $"the student's context could not be closed: {e.Message.Split('\n')[0]}");
            }
        }
        ct.ThrowIfCancellationRequested();
        return new BrowserRun
        {
            Verdict = cause is null ? BrowserVerdict.Passed : harness ? BrowserVerdict.HarnessError : BrowserVerdict.Failed,
            Cause = cause,
            FailedStep = failedStep,
            Steps = [.. _steps],
            FailureScreenshot = failureShot,
            ConsoleErrors = _recorder.ConsoleErrors,
            ConsoleErrorCount = _recorder.ConsoleErrorCount,
            FailedRequests = _recorder.FailedRequests,
            SocketCloses = _recorder.SocketCloses,
            SocketOpens = _recorder.SocketsOpened,
            Navigations = _recorder.Navigations,
            Ui = _ui?.Generation,
            Output = _output,
            Cleanup = _cleanup,
            Browser = host.Description,
            Elapsed = _clock.Elapsed,
        };
    }

    /// <summary>
    /// Times one step. A wait for the page that ran out (Playwright's timeouts are System.TimeoutException), or
    /// a request the page could not make (net::ERR_…), is the page's failure, with a cause from evidence; the
    /// browser going away, or any other Playwright error, is the harness's.
    /// </summary>
    private async Task StepAsync(string name, Func<Task> body, CancellationToken ct)
    {
        var sw = Stopwatch.StartNew();
        var run = Task.CompletedTask;
        try
        {
            _stepShot = null;
            run = body();
            Task first;
            var limit = Limit(name);
            try
            {
                first = await Task.WhenAny(run, _lost.Task).WaitAsync(limit, ct);
            }
            catch (TimeoutException)
            {
                // Every wait of a step has its own deadline, but typing, pressing keys and reading the page have
                // none of Playwright's: a tab whose renderer is stuck (seen once: a notebook page's renderer
                // growing to 11 GB) holds them forever. The student sees a frozen page.
                throw new StepFailedException(name, $"the page stopped answering: {name} did not finish within {limit.TotalSeconds:0} s, " +
                    "longer than all of its waits together; a browser action on the page (typing, a key, reading it) never returned, as in a frozen tab" +
                    PageScriptErrors());
            }
            if (first != run)
            {
                throw new OperationCanceledException("the browser went away"); // said below, from _lost
            }
            await run;
            sw.Stop();
            var shot = _stepShot is { IsCompletedSuccessfully: true } taken && taken.Result is { } path ? path : await ShootAsync($"{_steps.Count + 1}-{name}");
            _steps.Add(new BrowserStep(name, sw.Elapsed, shot, true));
        }
        catch (Exception) when (_lost.Task.IsCompleted && !ct.IsCancellationRequested)
        {
            // Whatever the step then made of it (a wait given up, a page that read blank), the browser was gone.
            _steps.Add(new BrowserStep(name, sw.Elapsed, null, false));
            throw new StepFailedException(name, $"the browser went away under the student during {name}: {_lost.Task.Result}", harness: true);
        }
        catch (StepFailedException)
        {
            _steps.Add(new BrowserStep(name, sw.Elapsed, null, false));
            throw;
        }
        catch (PlaywrightException e) when (!e.Message.Contains("net::ERR_", StringComparison.Ordinal))
        {
            _steps.Add(new BrowserStep(name, sw.Elapsed, null, false));
            throw new StepFailedException(name, $"Playwright failed during {name}: {e.Message.Split('\n')[0].Trim()}", harness: true);
        }
        catch (Exception e) when (e is PlaywrightException or TimeoutException)
        {
            _steps.Add(new BrowserStep(name, sw.Elapsed, null, false));
            throw new StepFailedException(name, await CauseAsync(name, e.Message.Split('\n')[0].Trim()));
        }
        finally
        {
            Observe(run); // a step given up on (the browser went away) ends by its own deadline, unobserved otherwise
        }
    }

    /// <summary>A step's whole time: its own waits (each with its deadline), then a margin for screenshots and reading the page for a cause.</summary>
    private static string Joined(string? said, string more) => said is null ? more : $"{said}; {more}";

    /// <summary>
    /// What the page's own script was doing when it froze, by count: the console errors it logged and the most
    /// frequent of those kept (Debian sid's Notebook 7 bundle threw "RangeError: Maximum call stack size exceeded"
    /// 114,808 times before its tab stopped answering).
    /// </summary>
    private string PageScriptErrors()
    {
        var most = _recorder.ConsoleErrors.GroupBy(e => e, StringComparer.Ordinal).OrderByDescending(g => g.Count()).FirstOrDefault();
        return most is null ? "" : $"; the page's own script had logged {_recorder.ConsoleErrorCount} console errors, most often «{most.Key}» ({most.Count()} of the first {_recorder.ConsoleErrors.Count})";
    }

    private TimeSpan Limit(string step) => options.StepMargin + step switch
    {
        BrowserStudent.Login => options.LoginTimeout * 2,
        BrowserStudent.Spawn => options.SpawnTimeout,
        BrowserStudent.UiLoaded => options.UiTimeout,
        BrowserStudent.KernelConnected => options.KernelTimeout + options.KernelAnswerTimeout + Deadline.Of(10),
        _ => options.OutputTimeout * 3,
    };

    private void OnDisconnected(object? sender, IBrowser browser) => _lost.TrySetResult("Chromium disconnected (closed or crashed)");

    private void OnContextClosed(object? sender, IBrowserContext context) => _lost.TrySetResult("the student's browser context was closed");

    private async Task<string?> ShootAsync(string name, bool fullPage = false)
    {
        var page = ActivePage;
        if (page is null || page.IsClosed)
        {
            return null;
        }
        var path = Path.Combine(options.EvidenceDirectory, $"{shotPrefix}{name}.png");
        try
        {
            var timeout = Deadline.Of(10);
            await page.ScreenshotAsync(new() { Path = path, FullPage = fullPage, Timeout = NotebookUi.Ms(timeout) }).WaitAsync(timeout + TimeSpan.FromSeconds(5));
            return path;
        }
        catch (Exception e) when (e is PlaywrightException or TimeoutException)
        {
            return null; // a page that cannot be drawn any more: the rest of the evidence still says why
        }
    }

    private IPage? _notebook;
    /// <summary>A screenshot a step took while it ran (the spawn-pending page), instead of one at its end.</summary>
    private Task<string?>? _stepShot;
    private IPage? ActivePage => _notebook ?? _page;

    private async Task<string?> ShootWhenVisibleAsync(ILocator locator, string name, TimeSpan timeout)
    {
        try
        {
            await locator.WaitForAsync(new() { Timeout = NotebookUi.Ms(timeout) });
            return await ShootAsync(name);
        }
        catch (Exception e) when (e is PlaywrightException or TimeoutException)
        {
            return null;
        }
    }
}

/// <summary>A step of the flow failed; the cause is already the sentence the report shows. <see cref="Harness"/>: the browser broke, not the page.</summary>
internal sealed class StepFailedException(string step, string cause, bool harness = false) : Exception($"{step}: {cause}")
{
    public string Step { get; } = step;
    public string Cause { get; } = cause;
    public bool Harness { get; } = harness;
}
