using System.Diagnostics;
using KernelRegression.Evidence;
using Microsoft.Playwright;

namespace KernelRegression.Browser;

/// <summary>
/// A student in a real browser: opens the hub, logs in through its login page, presses the start
/// button, follows the spawn-pending page to the server, opens the notebook UI the server offers,
/// creates a notebook with the Python kernel, types <c>print(6*7)</c> into a cell, runs it with
/// Shift+Enter and waits for 42 and an idle kernel. Never throws for what it finds: every failure is a
/// <see cref="BrowserRun"/> with the step and a cause a person can act on. What the page did (a wait for
/// it that ran out, a request it could not make, what it showed) is a verdict; the browser breaking under
/// the student (closed, crashed, any other Playwright error) is the harness's, never a verdict.
/// </summary>
public static class BrowserStudent
{
    public const string Login = "login";
    public const string Spawn = "spawn";
    public const string UiLoaded = "ui-loaded";
    public const string KernelConnected = "kernel-connected";
    public const string FirstOutput = "first-output";

    /// <summary>
    /// Cells' students take turns (one per two cores): a Chromium loading a notebook page keeps a core busy
    /// for seconds, and three at once on two cores made each page several times slower than the student it
    /// stands for would see. The wait is outside the flow's clock and said in the run's evidence.
    /// </summary>
    private static readonly SemaphoreSlim Turns = new(Math.Max(1, Environment.ProcessorCount / 2));

    /// <summary>Launches a browser for this one student (a few seconds), runs the flow, closes it.</summary>
    public static async Task<BrowserRun> RunAsync(Uri hubUrl, string user, string password, BrowserOptions options, CancellationToken ct)
    {
        if (ChromiumHost.Unavailable(options) is { } reason)
        {
            return Missing(reason);
        }
        var waited = Stopwatch.StartNew();
        await Turns.WaitAsync(ct);
        try
        {
            waited.Stop();
            ChromiumHost host;
            try
            {
                host = await ChromiumHost.LaunchAsync(options, ct);
            }
            catch (MissingPrerequisiteException e)
            {
                return Missing(e.What);
            }
            await using (host)
            {
                return await RunAsync(host, hubUrl, user, password, options, ct) with { WaitedForTurn = waited.Elapsed };
            }
        }
        finally
        {
            Turns.Release();
        }
    }

    /// <summary>Runs the flow in a fresh context of a browser that is already up (shared by concurrent students).</summary>
    public static async Task<BrowserRun> RunAsync(ChromiumHost host, Uri hubUrl, string user, string password, BrowserOptions options, CancellationToken ct)
    {
        Secrets.Register(password);
        Directory.CreateDirectory(options.EvidenceDirectory);
        var first = await new StudentFlow(host, hubUrl, user, password, options, "browser-").RunAsync(ct);
        if (first.Verdict != BrowserVerdict.Failed || !first.FailedRequests.Any(r => r.Failure?.Contains(NetworkChanged, StringComparison.Ordinal) == true))
        {
            return first;
        }
        // Chromium aborts every request in flight when an address of the machine changes (Docker adds one
        // with each network it creates): the machine's, not the deployment's, so the student tries again,
        // as a person would reload, and the evidence keeps the first attempt.
        var again = await new StudentFlow(host, hubUrl, user, password, options, "browser-retry-").RunAsync(ct);
        return again with
        {
            FirstAttempt = first,
            Retried = $"the first attempt failed at {first.FailedStep} after Chromium aborted requests with {NetworkChanged} (an address of this machine changed, e.g. Docker created or removed a network)",
        };
    }

    public const string NetworkChanged = "net::ERR_NETWORK_CHANGED";

    private static BrowserRun Missing(string reason) => ChromiumHost.Required
        ? new BrowserRun { Verdict = BrowserVerdict.HarnessError, Cause = $"KR_REQUIRE_TIER includes browser, but: {reason}" }
        : BrowserRun.Skip(reason);
}

/// <summary>One student's pass through the UI; collects steps and evidence as it goes.</summary>
internal sealed class StudentFlow(ChromiumHost host, Uri hubUrl, string user, string password, BrowserOptions options, string shotPrefix)
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
                _cleanup = $"{_cleanup}{(_cleanup is null ? "" : "; ")}the browser did not close the student's context within {teardown.TotalSeconds:0} s (closed with the browser)";
            }
            catch (PlaywrightException e)
            {
                _cleanup = $"{_cleanup}{(_cleanup is null ? "" : "; ")}the student's context could not be closed: {e.Message.Split('\n')[0]}";
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
                    "longer than all of its waits together; a browser action on the page (typing, a key, reading it) never returned, as in a frozen tab");
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

    // ---------------------------------------------------------------- login

    private async Task LoginAsync()
    {
        // The hub's home page, as a student's bookmark: the hub's root would start the server at once on
        // JupyterHub 3 (it redirects to spawn), and the start button is part of what is checked.
        var home = new Uri(hubUrl, "hub/home");
        var opened = await _page.GotoAsync(home.AbsoluteUri, new() { Timeout = NotebookUi.Ms(options.LoginTimeout) });
        if (opened is { Status: >= 400 } r)
        {
            throw Fail(BrowserStudent.Login, $"the hub's page {PageRecorder.Path(r.Url)} answered {r.Status}: {await ErrorTextAsync(_page)}");
        }
        var username = _page.Locator("#username_input, input[name='username']").First;
        await username.WaitForAsync(new() { Timeout = NotebookUi.Ms(options.LoginTimeout) });
        await username.FillAsync(user);
        await _page.Locator("#password_input, input[name='password']").First.FillAsync(password);
        // The form's POST answers with a redirect (or an error page); the document the browser lands on
        // is the first navigation response after it that is not a redirect, and it is judged once loaded.
        var posted = default(IResponse);
        var landed = default(IResponse);
        var loaded = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        void OnResponse(object? _, IResponse r)
        {
            if (!r.Request.IsNavigationRequest || r.Frame != _page.MainFrame)
            {
                return;
            }
            if (r.Request.Method == "POST")
            {
                posted ??= r;
            }
            if (posted is not null && r.Status is < 300 or >= 400)
            {
                landed ??= r;
            }
        }
        void OnLoaded(object? _, IPage p)
        {
            if (landed is not null)
            {
                loaded.TrySetResult();
            }
        }
        _page.Response += OnResponse;
        _page.DOMContentLoaded += OnLoaded;
        try
        {
            await _page.Locator("#login_submit, form [type='submit']").First.ClickAsync(new() { Timeout = NotebookUi.Ms(options.LoginTimeout) });
            await loaded.Task.WaitAsync(options.LoginTimeout);
        }
        catch (TimeoutException)
        {
            throw Fail(BrowserStudent.Login, await CauseAsync(BrowserStudent.Login,
                $"no page after submitting the login form within {options.LoginTimeout.TotalSeconds:0} s (the form's POST: {posted?.Status.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "no answer"})"));
        }
        finally
        {
            _page.Response -= OnResponse;
            _page.DOMContentLoaded -= OnLoaded;
        }
        // The login cookie first: it is the one whose loss sends the student back to the login page.
        var refused = _recorder.RefusedCookies.Distinct().OrderBy(c => c.Contains("-login=", StringComparison.Ordinal) ? 0 : 1).ToList();
        if (posted is { Status: >= 400 } p)
        {
            // A refused _xsrf cookie (JupyterHub 4.1+ sets it with the same cookie options) fails the POST
            // itself with "XSRF cookie does not match": the refusal is the cause, the 403 its symptom.
            throw Fail(BrowserStudent.Login, $"login form returned {p.Status}: {await ErrorTextAsync(_page)}" +
                (refused.Count > 0 ? $"; the browser refused the hub's cookie {string.Join("; and ", refused)}" : ""));
        }
        if (landed is { Status: >= 400 } l)
        {
            throw Fail(BrowserStudent.Login, $"after login the hub's page {PageRecorder.Path(l.Url)} answered {l.Status}: {await ErrorTextAsync(_page)}");
        }
        if (await _page.Locator("#login_submit, input[name='password']").CountAsync() == 0)
        {
            return; // past the login page
        }
        var error = (await _page.Locator(".login_error").AllTextContentsAsync()).Select(t => t.Trim()).FirstOrDefault(t => t.Length > 0);
        if (error is not null)
        {
            throw Fail(BrowserStudent.Login, $"the hub refused the login: {error}");
        }
        if (refused.Count > 0)
        {
            throw Fail(BrowserStudent.Login,
                $"the login form came back after a {posted?.Status.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "?"} login: the browser refused the hub's cookie {string.Join("; and ", refused)}");
        }
        var held = (await _context.CookiesAsync()).Select(c => $"{c.Name} (domain {c.Domain}, path {c.Path})").ToList();
        throw Fail(BrowserStudent.Login,
            $"the login form came back after a {posted?.Status.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "?"} login: the hub did not see a login cookie; the browser holds {(held.Count == 0 ? "no cookies" : string.Join(", ", held))}");
    }

    // ---------------------------------------------------------------- spawn

    private async Task SpawnAsync()
    {
        var timeout = NotebookUi.Ms(options.SpawnTimeout);
        if (!OnServer(_page.Url))
        {
            var start = _page.Locator("#start");
            if (await start.CountAsync() == 0 && !_page.Url.Contains("/hub/spawn", StringComparison.Ordinal))
            {
                throw Fail(BrowserStudent.Spawn, $"the home page {PageRecorder.Path(_page.Url)} has no start button (#start): {await ErrorTextAsync(_page)}");
            }
            if (await start.CountAsync() > 0)
            {
                await start.ClickAsync(new() { Timeout = timeout });
            }
            // The server's page is blank until its scripts run (that is the next step's screenshot): the
            // spawn's picture is the spawn-pending page with its progress, when the spawn is slow enough to show it.
            _stepShot = ShootWhenVisibleAsync(_page.Locator("#progress-message"), $"{_steps.Count + 1}-{BrowserStudent.Spawn}", options.SpawnTimeout);
            Observe(_stepShot);
        }
        // The spawn-pending page follows the spawn's progress and goes to the server when it is ready;
        // a failed spawn stays there with the hub's message.
        var failed = _page.Locator("#progress-message").Filter(new() { HasTextRegex = new System.Text.RegularExpressions.Regex("fail|error", System.Text.RegularExpressions.RegexOptions.IgnoreCase) })
            .Or(_page.Locator("div.error"));
        var reached = _page.WaitForURLAsync(u => OnServer(u), new() { Timeout = timeout, WaitUntil = WaitUntilState.DOMContentLoaded });
        var failure = failed.First.WaitForAsync(new() { Timeout = timeout });
        var first = await Task.WhenAny(reached, failure);
        Observe(reached, failure);
        if (first == failure && failure.IsCompletedSuccessfully && !OnServer(_page.Url))
        {
            var text = await ErrorTextAsync(_page);
            throw Fail(BrowserStudent.Spawn, $"the spawn failed on {PageRecorder.Path(_page.Url)}: {text}");
        }
        if (first == reached && reached.IsCompletedSuccessfully)
        {
            return;
        }
        if (OnServer(_page.Url))
        {
            return;
        }
        var progress = (await _page.Locator("#progress-message").AllTextContentsAsync()).Select(t => t.Trim()).FirstOrDefault(t => t.Length > 0);
        throw Fail(BrowserStudent.Spawn,
            $"the server's page was not reached within {options.SpawnTimeout.TotalSeconds:0} s; {PageRecorder.Path(_page.Url)} showed '{progress ?? await ErrorTextAsync(_page)}'");
    }

    private bool OnServer(string url) => PageRecorder.Path(url).StartsWith(ServerPrefix, StringComparison.Ordinal);

    // ---------------------------------------------------------------- UI

    private async Task OpenUiAsync()
    {
        // The page the server offers (the hub's default URL, e.g. /tree) after the OAuth redirects:
        // either a UI declares itself, or an error page says why not.
        var errorPage = _page.Locator("div.error");
        var declared = _page.Locator("#jupyter-config-data, #ipython-main-app, body.notebook_list, body.notebook_app");
        try
        {
            await declared.Or(errorPage).First.WaitForAsync(new() { State = WaitForSelectorState.Attached, Timeout = NotebookUi.Ms(options.UiTimeout) });
        }
        catch (TimeoutException)
        {
            throw Fail(BrowserStudent.UiLoaded, await CauseAsync(BrowserStudent.UiLoaded, $"no notebook UI on {PageRecorder.Path(_page.Url)} after {options.UiTimeout.TotalSeconds:0} s"));
        }
        if (await declared.CountAsync() == 0)
        {
            var document = _recorder.FailedRequests.LastOrDefault(r => r.ResourceType == "document" && OnServer(r.Url));
            _ui = new ClassicNotebookUi(new UiGeneration(UiGeneration.None, ""));
            throw Fail(BrowserStudent.UiLoaded, document is not null
                ? $"the server offers no notebook UI: {ServerRelative(document.Url)}: {document.Status} ({await ErrorTextAsync(_page)})"
                : $"the server's page {PageRecorder.Path(_page.Url)} is an error page: {await ErrorTextAsync(_page)}");
        }
        _ui = await NotebookUi.DetectAsync(_page, options.UiTimeout);
        try
        {
            await _ui!.FileBrowserReady(_page).WaitForAsync(new() { Timeout = NotebookUi.Ms(options.UiTimeout) });
        }
        catch (TimeoutException)
        {
            throw Fail(BrowserStudent.UiLoaded, await CauseAsync(BrowserStudent.UiLoaded,
                $"the {_ui!.Generation.Name} file browser was not drawn within {options.UiTimeout.TotalSeconds:0} s"));
        }
    }

    // ---------------------------------------------------------------- kernel

    private async Task NewNotebookAsync()
    {
        var socketsBefore = (_recorder.SocketsCreated.Count, _recorder.SocketsOpened.Count);
        try
        {
            _notebook = await _ui!.NewNotebookAsync(_context, _page, options.KernelName, options.UiTimeout);
        }
        catch (TimeoutException e)
        {
            throw Fail(BrowserStudent.KernelConnected, await CauseAsync(BrowserStudent.KernelConnected,
                $"no new notebook with kernel '{options.KernelName}' from the {_ui!.Generation.Name} file browser: {e.Message.Split('\n')[0]}"));
        }
        await WaitForKernelIdleAsync(BrowserStudent.KernelConnected, options.KernelTimeout, socketsBefore);
    }

    /// <summary>
    /// Waits for the kernel indicator to say idle. Connected means the page's own kernel WebSocket is open
    /// first (an indicator can say idle before there is a kernel), so that is awaited when asked.
    /// </summary>
    private async Task WaitForKernelIdleAsync(string step, TimeSpan timeout, (int Created, int Opened)? socketsBefore = null)
    {
        var idle = _ui!.KernelIdle(_notebook!);
        var lost = _ui.KernelLost(_notebook!);
        if (socketsBefore is { } before)
        {
            // The page asks for its kernel's WebSocket once the notebook is loaded and the server started the kernel.
            var asked = _recorder.WaitForSocketAsync("/channels", before.Created, timeout, opened: false);
            var gaveUp = lost.First.WaitForAsync(new() { Timeout = NotebookUi.Ms(timeout) });
            await Task.WhenAny(asked, gaveUp);
            Observe(asked, gaveUp);
            if (!asked.IsCompletedSuccessfully && !gaveUp.IsCompletedSuccessfully)
            {
                throw Fail(step, await CauseAsync(step,
                    $"kernel indicator stayed '{await _ui.KernelIndicatorAsync(_notebook!)}' for {timeout.TotalSeconds:0} s"));
            }
            // From here the kernel must answer on its channels within the time the API checks give kernel_info.
            timeout = options.KernelAnswerTimeout;
        }
        try
        {
            await idle.Or(lost).First.WaitForAsync(new() { Timeout = NotebookUi.Ms(timeout) });
        }
        catch (TimeoutException)
        {
            var channels = _recorder.SocketsCreated.Skip(socketsBefore?.Created ?? 0).LastOrDefault(c => c.Url.Contains("/channels", StringComparison.Ordinal));
            var accepted = channels is not null && _recorder.SocketsOpened.Skip(socketsBefore?.Opened ?? 0).Any(o => o.Url == channels.Url);
            var socket = channels is null ? ""
                : accepted ? $" after the page's kernel WebSocket to {PageRecorder.Path(channels.Url)} opened (the kernel did not answer on it)"
                : $"; the server did not accept the page's kernel WebSocket to {PageRecorder.Path(channels.Url)} (the classic notebook server holds it until the kernel answers kernel_info)";
            throw Fail(step, await CauseAsync(step,
                $"kernel indicator stayed '{await _ui.KernelIndicatorAsync(_notebook!)}' for {timeout.TotalSeconds:0} s{socket}"));
        }
        if (!await idle.IsVisibleAsync())
        {
            // JupyterLab says 'disconnected' or 'busy' for a moment while it swaps its kernel connections (the
            // page's extra channels close with 1005, seen in a clean CI run): lost only if it stays so.
            try
            {
                await idle.WaitForAsync(new() { Timeout = NotebookUi.Ms(Deadline.Of(10)) });
            }
            catch (TimeoutException)
            {
                throw Fail(step, await CauseAsync(step, $"the kernel indicator says '{await _ui.KernelIndicatorAsync(_notebook!)}'"));
            }
        }
    }

    // ---------------------------------------------------------------- cell

    private async Task RunCellAsync()
    {
        var page = _notebook!;
        var editor = _ui!.FirstCellEditor(page);
        await editor.ClickAsync(new() { Timeout = NotebookUi.Ms(options.OutputTimeout) });
        await page.Keyboard.TypeAsync(options.Code);
        // Keys typed while a loaded page is still wiring its editor can be lost; a student sees the cell and
        // types again, once, before running it: running an empty cell would blame the kernel.
        if (!await ShowsAsync(editor, options.Code))
        {
            await editor.ClickAsync(new() { Timeout = NotebookUi.Ms(options.OutputTimeout) });
            await page.Keyboard.PressAsync("ControlOrMeta+A");
            await page.Keyboard.TypeAsync(options.Code);
            if (!await ShowsAsync(editor, options.Code))
            {
                throw Fail(BrowserStudent.FirstOutput,
                    $"the cell editor shows '{(await editor.TextContentAsync() ?? "").Trim()}' after typing '{options.Code}' twice: the page does not take the student's keys");
            }
        }
        await page.Keyboard.PressAsync("Shift+Enter");
        var output = _ui.FirstCellOutput(page).Filter(new() { HasText = options.ExpectedOutput });
        var error = _ui.FirstCellError(page);
        try
        {
            await output.Or(error).Or(_ui.KernelLost(page)).First.WaitForAsync(new() { Timeout = NotebookUi.Ms(options.OutputTimeout) });
        }
        catch (TimeoutException)
        {
            var shown = string.Join(" | ", (await _ui.FirstCellOutput(page).AllTextContentsAsync()).Select(t => t.Trim()));
            throw Fail(BrowserStudent.FirstOutput, await CauseAsync(BrowserStudent.FirstOutput,
                $"no '{options.ExpectedOutput}' in the output area {options.OutputTimeout.TotalSeconds:0} s after Shift+Enter (output: '{shown}'; kernel indicator: '{await _ui.KernelIndicatorAsync(page)}')"));
        }
        if (await error.CountAsync() > 0)
        {
            var text = (await error.First.TextContentAsync() ?? "").Trim().Split('\n').LastOrDefault(l => l.Trim().Length > 0)?.Trim();
            throw Fail(BrowserStudent.FirstOutput, $"the cell raised: {text}");
        }
        if (await output.CountAsync() == 0)
        {
            throw Fail(BrowserStudent.FirstOutput, await CauseAsync(BrowserStudent.FirstOutput, $"the kernel indicator says '{await _ui.KernelIndicatorAsync(page)}' after Shift+Enter"));
        }
        _output = (await output.First.TextContentAsync() ?? "").Trim();
        if (_output != options.ExpectedOutput)
        {
            throw Fail(BrowserStudent.FirstOutput, $"the output area shows '{_output}', not '{options.ExpectedOutput}'");
        }
        await WaitForKernelIdleAsync(BrowserStudent.FirstOutput, options.OutputTimeout);
    }

    private static async Task<bool> ShowsAsync(ILocator editor, string code)
    {
        try
        {
            await editor.Filter(new() { HasText = code }).WaitForAsync(new() { Timeout = NotebookUi.Ms(Deadline.Of(5)) });
            return true;
        }
        catch (TimeoutException)
        {
            return false;
        }
    }

    // ---------------------------------------------------------------- cleanup

    /// <summary>
    /// Shuts the notebook's kernel down and deletes the notebook the student made, through the server's
    /// REST API with the browser's own cookies (and its XSRF token), so a run against a real user's server
    /// leaves nothing behind. Best effort: it never changes the verdict, and says what it did.
    /// </summary>
    private async Task<string?> LeaveNoTraceAsync()
    {
        if (_notebook is null || !OnServer(_notebook.Url))
        {
            return null;
        }
        var path = PageRecorder.Path(_notebook.Url)[ServerPrefix.Length..];
        foreach (var prefix in new[] { "notebooks/", "lab/tree/", "doc/tree/" })
        {
            if (path.StartsWith(prefix, StringComparison.Ordinal))
            {
                path = Uri.UnescapeDataString(path[prefix.Length..]);
                break;
            }
        }
        if (!path.EndsWith(".ipynb", StringComparison.Ordinal))
        {
            return $"left {path}: not a notebook path";
        }
        var api = new Uri(hubUrl, ServerPrefix + "api/");
        var xsrf = (await _context.CookiesAsync([api.AbsoluteUri])).FirstOrDefault(c => c.Name == "_xsrf")?.Value;
        var headers = xsrf is null ? new Dictionary<string, string>() : new Dictionary<string, string> { ["X-XSRFToken"] = xsrf };
        var timeout = NotebookUi.Ms(Deadline.Of(10));
        try
        {
            var sessions = await _context.APIRequest.GetAsync(new Uri(api, "sessions").AbsoluteUri, new() { Headers = headers, Timeout = timeout });
            var removed = 0;
            if (sessions.Ok && await sessions.JsonAsync() is { ValueKind: System.Text.Json.JsonValueKind.Array } list)
            {
                foreach (var session in list.EnumerateArray().Where(x => x.TryGetProperty("path", out var p) && p.GetString() == path))
                {
                    var id = session.GetProperty("id").GetString();
                    var deleted = await _context.APIRequest.DeleteAsync(new Uri(api, $"sessions/{id}").AbsoluteUri, new() { Headers = headers, Timeout = timeout });
                    removed += deleted.Ok ? 1 : 0;
                }
            }
            var file = await _context.APIRequest.DeleteAsync(new Uri(api, "contents/" + Uri.EscapeDataString(path)).AbsoluteUri, new() { Headers = headers, Timeout = timeout });
            return $"shut down {removed} kernel session(s) of {path}; deleting {path}: {file.Status}";
        }
        catch (Exception e) when (e is PlaywrightException or TimeoutException)
        {
            return $"could not clean up {path}: {e.Message.Split('\n')[0]}";
        }
    }

    // ---------------------------------------------------------------- causes

    /// <summary>
    /// The cause of a step that did not finish: what the page's own traffic says first (a static file or
    /// API call that failed, a kernel WebSocket that closed), then its console errors, then what was awaited.
    /// </summary>
    private Task<string> CauseAsync(string step, string awaited)
    {
        var failed = _recorder.FailedRequests
            .Where(r => r.ResourceType is "script" or "stylesheet" or "document" or "xhr" or "fetch" or "websocket")
            .DistinctBy(r => PageRecorder.Path(r.Url)).ToList();
        // The UI's own files and the server's API are what a page cannot do without; an optional
        // extension's missing script (Debian enables the widgets nbextension without ipywidgets) is noise.
        var essential = failed.Where(Essential).ToList();
        var evidence = new List<string>();
        // A server that is slow rather than broken: the page's API call still waiting says what it waits for.
        if (_recorder.Unanswered.FirstOrDefault(r => r.ResourceType is "xhr" or "fetch" && ServerRelative(r.Url).Contains("api/", StringComparison.Ordinal)) is { Url: not null } pending
            && pending.Waiting > TimeSpan.FromSeconds(2))
        {
            evidence.Add($"the page's {pending.Method} {ServerRelative(pending.Url)} had no answer after {pending.Waiting.TotalSeconds:0} s");
        }
        var channels = _recorder.SocketCloses.Where(c => c.Code != 1000).ToList();
        if (channels.Count > 0)
        {
            var c = channels[^1];
            evidence.Add($"the page's WebSocket to {PageRecorder.Path(c.Url)} closed with {c.Code}{(c.Reason.Length > 0 ? " " + c.Reason : "")}");
        }
        else if (step == BrowserStudent.KernelConnected && !_recorder.SocketsCreated.Any(s => s.Url.Contains("/channels", StringComparison.Ordinal)))
        {
            evidence.Add("the page never opened a kernel WebSocket (/api/kernels/…/channels)");
        }
        if (essential.Count == 0 && _recorder.ConsoleErrors.FirstOrDefault(e => !failed.Any(f => e.Contains(PageRecorder.Path(f.Url), StringComparison.Ordinal))) is { } console)
        {
            evidence.Add("console: " + console);
        }
        var others = failed.Except(essential).ToList();
        if (others.Count > 0)
        {
            evidence.Add("also failed: " + Requests(others));
        }
        // A missing file is the cause; what the UI then did not do is its consequence.
        return Task.FromResult(essential.Count > 0
            ? $"{Requests(essential)} ({string.Join("; ", [awaited, .. evidence])})"
            : string.Join("; ", [awaited, .. evidence]));
    }

    /// <summary>
    /// What a page cannot work without: the page itself, the UI's own scripts and stylesheets, and the
    /// server API a notebook runs on. An optional extension's files (Debian enables the widgets nbextension
    /// without ipywidgets), settings without a schema, or a language server that is not installed are not.
    /// </summary>
    private bool Essential(FailedRequest r)
    {
        var path = ServerRelative(r.Url);
        return r.ResourceType switch
        {
            "document" => true,
            "script" or "stylesheet" => !path.StartsWith("nbextensions/", StringComparison.Ordinal) && !path.StartsWith("custom/", StringComparison.Ordinal),
            _ => EssentialApi.Any(a => path.StartsWith(a, StringComparison.Ordinal)) || path.StartsWith("/hub/", StringComparison.Ordinal),
        };
    }

    private static readonly string[] EssentialApi = ["api/kernels", "api/sessions", "api/contents", "api/kernelspecs"];

    private string Requests(IEnumerable<FailedRequest> requests) =>
        string.Join(", ", requests.Take(3).Select(r => $"{ServerRelative(r.Url)}: {(r.Status?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? r.Failure)}"));

    /// <summary>A URL as the server's own path (static/notebook/js/main.min.js), or the hub's, without the query.</summary>
    private string ServerRelative(string url)
    {
        var path = PageRecorder.Path(url);
        return path.StartsWith(ServerPrefix, StringComparison.Ordinal) ? path[ServerPrefix.Length..] : path;
    }

    /// <summary>What an error page says: JupyterHub's and Jupyter's error pages, else the page's first text.</summary>
    private static async Task<string> ErrorTextAsync(IPage page)
    {
        try
        {
            foreach (var selector in new[] { "div.error", ".login_error", "#progress-message", "main", "body" })
            {
                var texts = await page.Locator(selector).AllInnerTextsAsync();
                var text = string.Join(" ", texts.SelectMany(t => t.Split('\n')).Select(l => l.Trim()).Where(l => l.Length > 0));
                if (text.Length > 0)
                {
                    return text.Length > 300 ? text[..300] + "…" : text;
                }
            }
        }
        catch (PlaywrightException)
        {
        }
        return "(a blank page)";
    }

    private static StepFailedException Fail(string step, string cause) => new(step, cause);


    private static void Observe(params Task[] tasks)
    {
        foreach (var t in tasks)
        {
            _ = t.ContinueWith(x => _ = x.Exception, TaskScheduler.Default);
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
