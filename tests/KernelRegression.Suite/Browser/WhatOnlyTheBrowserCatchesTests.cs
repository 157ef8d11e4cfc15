using KernelRegression.Browser;
using KernelRegression.Matrix;
using KernelRegression.Runs;
using KernelRegression.Suite.Docker;
using KernelRegression.Tiers.Process;

namespace KernelRegression.Suite.Browser;

/// <summary>
/// Two real breakages a student meets and the API checks do not see (fixtures/scenarios): the front
/// end's files missing from the image, and a login cookie the browser refuses. Each time the API checks
/// pass on the same deployment and the browser check fails with the cause named.
/// </summary>
public sealed class WhatOnlyTheBrowserCatchesTests(DockerTier tier, BrowserHost browser)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;
    private static readonly CheckSelection ApiChecks = new(new HashSet<string> { "kernel-starts", "executes", "notebook" }, TimeSpan.FromSeconds(2));

    [Fact]
    public async Task AnImageWithoutTheNotebookPageScriptFailsInTheBrowserNamingTheFileWhileTheApiChecksPass()
    {
        // Given the bookworm image with static/notebook/js/main.min.js removed (FRONTEND=broken)
        var scenario = Scenario.Load("frontend-files-missing");
        var host = await browser.HostAsync(Ct);
        var (hub, options) = await BrowserDeployment.DockerAsync(tier, "bookworm", "broken", null, Ct);

        // When the API checks and a browser student use it
        var api = await CellRunner.RunAsync("docker/hub-browser/img-bookworm-frontend-broken/profile-default", hub, ApiChecks, Ct, options);
        await using var student = Student.Create(hub, Student.NewName("browser"));
        var run = await BrowserDeployment.StudentAsync(host, hub, student, options, browser.OptionsFor("frontend-broken"), Ct);

        // Then
        api.Passed.Should().BeTrue(string.Join("; ", api.Checks));
        run.Verdict.Should().Be(BrowserVerdict.Failed, run.Render());
        run.FailedStep.Should().Be(BrowserStudent.KernelConnected);
        run.Cause.Should().StartWith("static/notebook/js/main.min.js: 404").And.Contain(scenario.CauseContains);
        run.FailureScreenshot.Should().NotBeNull();
        BrowserEvidence.ScreenshotsAreRealPngs(run);
    }

    [Fact]
    public async Task ALoginCookieTheBrowserRefusesFailsAtTheLoginStepWithTheReasonWhileTheApiChecksPass()
    {
        // Given a process-tier hub whose cookies carry a domain the page is not on
        var scenario = Scenario.Load("login-cookie-refused");
        var host = await browser.HostAsync(Ct);
        await using var run = Run.Start();
        await using var hub = await new ProcessHubBuilder()
            .WithHubEnvironment("KR_COOKIE_OPTIONS", """{"domain": "kr-cookie-mismatch.invalid"}""")
            .StartAsync(run, Ct);

        // When
        var api = await CellRunner.RunAsync("process/hub-cookie-domain/healthy", hub, ApiChecks, Ct);
        await using var student = Student.Create(hub, Student.NewName("browser"));
        var browserRun = await BrowserStudent.RunAsync(host, hub.HubUrl, student.Name, hub.StudentPassword, browser.OptionsFor("login-cookie"), Ct);
        BrowserEvidence.Attach(browserRun);

        // Then
        api.Passed.Should().BeTrue(string.Join("; ", api.Checks));
        browserRun.Verdict.Should().Be(BrowserVerdict.Failed, browserRun.Render());
        browserRun.FailedStep.Should().Be(BrowserStudent.Login);
        browserRun.Cause.Should().Contain("jupyterhub-hub-login").And.Contain("Domain=kr-cookie-mismatch.invalid").And.Contain(scenario.CauseContains);
        browserRun.Cause.Should().NotContain(hub.StudentPassword);
        browserRun.FailureScreenshot.Should().NotBeNull();
    }
}
