using System.Text.Json;
using Microsoft.Playwright;

namespace KernelRegression.Browser;

/// <summary>
/// One generation of the notebook UI, as a student uses it: the file browser is ready, "New" makes a
/// notebook with a kernel, the kernel indicator says idle, a cell takes typed code, the output area
/// shows what ran. Selectors are the UI's own (what its stylesheets and tests key on).
/// </summary>
internal abstract class NotebookUi
{
    public abstract UiGeneration Generation { get; }

    /// <summary>Shows the file browser is usable: drawn by the UI's scripts from the server's contents API.</summary>
    public abstract ILocator FileBrowserReady(IPage page);

    /// <summary>Presses New and picks the kernel; returns the page the notebook opened in.</summary>
    public abstract Task<IPage> NewNotebookAsync(IBrowserContext context, IPage page, string kernel, TimeSpan timeout);

    /// <summary>Visible once the kernel is connected and idle.</summary>
    public abstract ILocator KernelIdle(IPage notebook);

    /// <summary>Visible when the UI has given up on the kernel (dead, or no connection any more).</summary>
    public abstract ILocator KernelLost(IPage notebook);

    /// <summary>What the kernel indicator shows now, in the UI's words.</summary>
    public abstract Task<string> KernelIndicatorAsync(IPage notebook);

    /// <summary>The first code cell's editor: clicking it puts the cursor there.</summary>
    public abstract ILocator FirstCellEditor(IPage notebook);

    /// <summary>The output area of the first code cell.</summary>
    public abstract ILocator FirstCellOutput(IPage notebook);

    /// <summary>An error output of the first cell (traceback), if the kernel raised.</summary>
    public abstract ILocator FirstCellError(IPage notebook);

    /// <summary>
    /// Tells which UI the page is. Waits for the page to declare itself: JupyterLab and Notebook 7 embed
    /// their configuration (appName, appVersion), the classic notebook its main app element.
    /// </summary>
    public static async Task<NotebookUi?> DetectAsync(IPage page, TimeSpan timeout)
    {
        var marker = page.Locator("#jupyter-config-data").Or(page.Locator("#ipython-main-app, body.notebook_list, body.notebook_app"));
        await marker.First.WaitForAsync(new() { State = WaitForSelectorState.Attached, Timeout = Ms(timeout) });
        if (await page.Locator("#jupyter-config-data").CountAsync() > 0)
        {
            using var config = JsonDocument.Parse(await page.Locator("#jupyter-config-data").TextContentAsync() ?? "{}");
            var name = config.RootElement.TryGetProperty("appName", out var n) ? n.GetString() ?? "" : "";
            var version = config.RootElement.TryGetProperty("appVersion", out var v) ? v.GetString() ?? "" : "";
            return name.Contains("Notebook", StringComparison.OrdinalIgnoreCase)
                ? new LabFamilyUi(new UiGeneration(UiGeneration.Notebook7, version), notebook7: true)
                : new LabFamilyUi(new UiGeneration(UiGeneration.JupyterLab, version), notebook7: false);
        }
        // The version is set by the page's own script (base/js/namespace.js); a page whose scripts did
        // not load is still the classic notebook, of a version it cannot tell.
        var classic = await page.EvaluateAsync<string?>("() => (window.Jupyter && window.Jupyter.version) || null");
        return new ClassicNotebookUi(new UiGeneration(UiGeneration.ClassicNotebook, classic ?? ""));
    }

    internal static float Ms(TimeSpan t) => (float)t.TotalMilliseconds;

    /// <summary>What an element says right now ("" when it is not there): for causes, which must never wait.</summary>
    protected static async Task<string> TextNowAsync(ILocator locator) =>
        await locator.CountAsync() == 0 ? "" : (await locator.First.TextContentAsync(new() { Timeout = 2000 }) ?? "").Trim();

    protected static async Task<string> AttributeNowAsync(ILocator locator, string name) =>
        await locator.CountAsync() == 0 ? "" : (await locator.First.GetAttributeAsync(name, new() { Timeout = 2000 }) ?? "").Trim();
}

/// <summary>The classic notebook (notebook &lt; 7, and nbclassic): jQuery + CodeMirror 5, New opens a new window.</summary>
internal sealed class ClassicNotebookUi(UiGeneration generation) : NotebookUi
{
    public override UiGeneration Generation { get; } = generation;

    // notebooklist.js draws a .list_item per entry, or one saying "The notebook list is empty."
    public override ILocator FileBrowserReady(IPage page) => page.Locator("#notebook_list .list_item").First;

    public override async Task<IPage> NewNotebookAsync(IBrowserContext context, IPage page, string kernel, TimeSpan timeout)
    {
        await page.Locator("#new-dropdown-button").ClickAsync(new() { Timeout = Ms(timeout) });
        // newnotebook.js: window.open first, then the new notebook's URL once the contents API made it.
        var popup = await page.RunAndWaitForPopupAsync(
            () => page.Locator($"#kernel-{kernel} a").ClickAsync(new() { Timeout = Ms(timeout) }),
            new() { Timeout = Ms(timeout) });
        await popup.WaitForURLAsync(u => u.Contains("/notebooks/", StringComparison.Ordinal), new() { Timeout = Ms(timeout), WaitUntil = WaitUntilState.Commit });
        return popup;
    }

    public override ILocator KernelIdle(IPage notebook) => notebook.Locator("#kernel_indicator_icon.kernel_idle_icon");

    public override ILocator KernelLost(IPage notebook) => notebook.Locator("#kernel_indicator_icon.kernel_dead_icon, #kernel_indicator_icon.kernel_disconnected_icon");

    public override async Task<string> KernelIndicatorAsync(IPage notebook)
    {
        var icon = notebook.Locator("#kernel_indicator_icon");
        if (await icon.CountAsync() == 0)
        {
            return "no kernel indicator on the page";
        }
        var title = await AttributeNowAsync(icon, "title");
        var message = await TextNowAsync(notebook.Locator("#notification_kernel"));
        return string.Join("; ", new[] { title, message }.Where(s => s.Length > 0).DefaultIfEmpty("(blank)"));
    }

    public override ILocator FirstCellEditor(IPage notebook) => notebook.Locator(".cell.code_cell .CodeMirror").First;

    public override ILocator FirstCellOutput(IPage notebook) => notebook.Locator(".cell.code_cell").First.Locator(".output_subarea");

    public override ILocator FirstCellError(IPage notebook) => notebook.Locator(".cell.code_cell").First.Locator(".output_error");
}

/// <summary>
/// JupyterLab and Notebook 7 (built from JupyterLab's components): Lumino widgets, CodeMirror 6. In
/// Notebook 7 New opens the notebook in a new tab; in JupyterLab the launcher opens it in place.
/// </summary>
internal sealed class LabFamilyUi(UiGeneration generation, bool notebook7) : NotebookUi
{
    public override UiGeneration Generation { get; } = generation;

    public override ILocator FileBrowserReady(IPage page) => notebook7
        ? page.Locator(".jp-DirListing-content").First
        : page.Locator(".jp-MenuBar, .lm-MenuBar").First;

    public override async Task<IPage> NewNotebookAsync(IBrowserContext context, IPage page, string kernel, TimeSpan timeout)
    {
        // File > New > Notebook: the same menu in Notebook 7 and JupyterLab (Lab's launcher is not shown
        // to a user whose workspace restored open documents; Debian's Notebook 7 tree has no New button).
        var ms = Ms(timeout);
        await page.Locator(".lm-MenuBar-item").Filter(new() { HasText = "File" }).First.ClickAsync(new() { Timeout = ms });
        await page.Locator(".lm-Menu-item[data-type='submenu']").Filter(new() { HasText = "New" }).First.HoverAsync(new() { Timeout = ms });
        var item = page.Locator(".lm-Menu-item[data-command='notebook:create-new']").First;
        if (!notebook7)
        {
            await item.ClickAsync(new() { Timeout = ms });
            await SelectKernelIfAskedAsync(page, timeout);
            return page;
        }
        var popup = await page.RunAndWaitForPopupAsync(() => item.ClickAsync(new() { Timeout = ms }), new() { Timeout = ms });
        await popup.WaitForURLAsync(u => u.Contains("/notebooks/", StringComparison.Ordinal), new() { Timeout = ms, WaitUntil = WaitUntilState.Commit });
        await SelectKernelIfAskedAsync(popup, timeout);
        return popup;
    }

    /// <summary>
    /// A notebook made without a kernel preference asks for one (the "Select Kernel" dialog; its default is
    /// the Python kernel): accept it. The editor shows before the dialog does, so the signal that no dialog
    /// is coming is a kernel name in the toolbar.
    /// </summary>
    private static async Task SelectKernelIfAskedAsync(IPage page, TimeSpan timeout)
    {
        var accept = page.Locator(".jp-Dialog .jp-mod-accept");
        var named = page.Locator(".jp-NotebookPanel:not(.lm-mod-hidden) .jp-Toolbar-kernelName:not([aria-label='No Kernel'])");
        await accept.Or(named).First.WaitForAsync(new() { Timeout = Ms(timeout) });
        if (await accept.IsVisibleAsync())
        {
            await accept.ClickAsync(new() { Timeout = Ms(timeout) });
        }
    }

    // The execution indicator also says idle while the notebook has no kernel yet: the kernel's name must be
    // in the toolbar too (and the flow waits for the kernel's WebSocket before it trusts either).
    public override ILocator KernelIdle(IPage notebook) =>
        notebook.Locator(".jp-NotebookPanel:not(.lm-mod-hidden)").Filter(new() { Has = notebook.Locator(".jp-Toolbar-kernelName:not([aria-label='No Kernel'])") })
            .Locator(".jp-Notebook-ExecutionIndicator[data-status='idle']").First;

    public override ILocator KernelLost(IPage notebook) =>
        notebook.Locator(".jp-Notebook-ExecutionIndicator[data-status='dead'], .jp-Notebook-ExecutionIndicator[data-status='disconnected']").First;

    public override async Task<string> KernelIndicatorAsync(IPage notebook)
    {
        var indicator = notebook.Locator(".jp-Notebook-ExecutionIndicator").First;
        if (await indicator.CountAsync() == 0)
        {
            return "no kernel indicator on the page";
        }
        var name = await AttributeNowAsync(notebook.Locator(".jp-Toolbar-kernelName").First, "aria-label");
        var status = await AttributeNowAsync(indicator, "data-status");
        // Notebook 7 spells the connection state out ("Kernel Connecting"); JupyterLab in its status bar.
        var words = await TextNowAsync(notebook.Locator(".jp-NotebookKernelStatus, .jp-StatusBar-TextItem[title^='Change kernel']").First);
        return string.Join("; ", new[] { name, status, words }.Where(s => s.Length > 0).DefaultIfEmpty("(blank)"));
    }

    public override ILocator FirstCellEditor(IPage notebook) => notebook.Locator(".jp-Notebook .jp-CodeCell .cm-content").First;

    public override ILocator FirstCellOutput(IPage notebook) => notebook.Locator(".jp-Notebook .jp-CodeCell").First.Locator(".jp-OutputArea-output");

    public override ILocator FirstCellError(IPage notebook) =>
        notebook.Locator(".jp-Notebook .jp-CodeCell").First.Locator(".jp-OutputArea-output[data-mime-type='application/vnd.jupyter.stderr']");
}
