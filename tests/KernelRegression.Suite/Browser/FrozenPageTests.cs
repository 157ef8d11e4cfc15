using System.Diagnostics;
using System.Text;
using KernelRegression.Browser;
using KernelRegression.Tests.Support;

namespace KernelRegression.Suite.Browser;

/// <summary>
/// A tab that stops answering (its renderer busy for good) fails the student's step at the step's own
/// limit, as a frozen page a student would see, instead of holding the browser check, and every other
/// cell's turn with the browser, until the check's guard gives up. Typing, key presses and reading the
/// page have no deadline of Playwright's: a stand-in hub's login page freezes when its form is submitted.
/// </summary>
public sealed class FrozenPageTests(BrowserHost browser)
{
    private const string LoginPage = """
        <html><body><form method="post" action="/hub/login">
        <input id="username_input" name="username"><input id="password_input" name="password" type="password">
        <input id="login_submit" type="submit" value="Sign in"></form></body></html>
        """;

    /// <summary>Where the login lands: a page that logs three errors and freezes once it has loaded.</summary>
    private const string FrozenPage = """
        <html><body><p>welcome</p><script>for (let i = 0; i < 3; i++) console.error("kr: the page's script fails");
        addEventListener("DOMContentLoaded", () => setTimeout(() => { while (true) {} }, 0));</script></body></html>
        """;

    [Fact]
    [RequiresTier(typeof(BrowserProbe))]
    public async Task AFrozenPageFailsItsStepAtTheStepsLimitInsteadOfHanging()
    {
        LocalHttpServer? hub = null;
        await using var _ = hub = new LocalHttpServer(async (context, ct) =>
        {
            if (context.Request.HttpMethod == "POST")
            {
                context.Response.Redirect(new Uri(hub!.Url, "hub/frozen").AbsoluteUri);
                context.Response.Close();
                return;
            }
            var page = Encoding.UTF8.GetBytes(context.Request.Url!.AbsolutePath == "/hub/frozen" ? FrozenPage : LoginPage);
            context.Response.ContentType = "text/html";
            await context.Response.OutputStream.WriteAsync(page, ct);
            context.Response.Close();
        });
        // The login's own waits as a student's (20 s, scaled): a cold CI run, images building, took over 5 s
        // to click and land, and failed at that wait before the page froze. Only the margin is short.
        var options = browser.OptionsFor("frozen") with { StepMargin = Deadline.Of(10) };
        var limit = options.LoginTimeout * 2 + options.StepMargin;

        var clock = Stopwatch.StartNew();
        var run = await BrowserStudent.RunAsync(hub.Url, "frozen", "not-a-secret", options, TestContext.Current.CancellationToken);
        clock.Stop();

        run.Verdict.Should().Be(BrowserVerdict.Failed, "a page that stops answering is what the student sees: {0}", run.Cause);
        run.FailedStep.Should().Be(BrowserStudent.Login);
        run.Cause.Should().Contain("the page stopped answering", "reading the frozen page has no deadline of Playwright's: the step's limit ended it")
            .And.Contain("the page's own script had logged 3 console errors, most often «kr: the page's script fails", "what the page's script did is counted");
        clock.Elapsed.Should().BeLessThan(limit + TimeSpan.FromSeconds(40), "the step ends at its limit (plus the browser's start and teardown), not at the check's guard");
    }
}
