using System.Diagnostics;
using Microsoft.Playwright;

namespace KernelRegression.Browser;

/// <summary>The student's flow through the UI: the UI, a new notebook, its kernel and a cell that prints.</summary>
internal sealed partial class StudentFlow
{
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
}
