using System.Diagnostics;
using Microsoft.Playwright;

namespace KernelRegression.Browser;

/// <summary>The student's flow through the UI: why a step did not finish, from what the page itself did.</summary>
internal sealed partial class StudentFlow
{
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
