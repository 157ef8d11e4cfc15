using System.Diagnostics;
using Microsoft.Playwright;

namespace KernelRegression.Browser;

/// <summary>The student's flow through the UI: leaving nothing behind on the student's server.</summary>
internal sealed partial class StudentFlow
{
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
}
