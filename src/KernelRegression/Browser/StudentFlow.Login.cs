using System.Diagnostics;
using Microsoft.Playwright;

namespace KernelRegression.Browser;

/// <summary>The student's flow through the UI: the hub's login form, as a student fills it.</summary>
internal sealed partial class StudentFlow
{
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
}
