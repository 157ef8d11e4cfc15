using System.Diagnostics;
using Microsoft.Playwright;

namespace KernelRegression.Browser;

/// <summary>The student's flow through the UI: the hub's spawn page until the server's UI answers.</summary>
internal sealed partial class StudentFlow
{
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
}
