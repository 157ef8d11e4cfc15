using KernelRegression.Browser;
using KernelRegression.Suite.Cli;

namespace KernelRegression.Suite.Browser;

/// <summary>
/// The browser check's own failures are never a verdict on the deployment: a browser that goes away
/// under the student is a harness error, and so is a missing Chromium when KR_REQUIRE_TIER names the
/// browser (without it, a skip with the install command). Only what the page itself did is a verdict.
/// </summary>
public sealed class BrowserHarnessErrorTests(ProcessFixture process) : IDisposable
{
    private const string ProcessCell = "process/hub-host/img-host/profile-host";
    private readonly string _dir = Directory.CreateTempSubdirectory("kr-browser-harness-").FullName;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    [RequiresTier(typeof(BrowserProbe))]
    public async Task ABrowserClosedUnderTheStudentIsAHarnessErrorNotTheDeploymentsFailure()
    {
        // Given a Chromium of this test's own, and a student logging in to the process hub with it
        var hub = process.Hub;
        var options = new BrowserOptions().WithEvidenceDirectory(Path.Combine(_dir, "shots"));
        var host = await ChromiumHost.LaunchAsync(options, Ct);
        await using var _ = host;
        await using var student = Student.Create(hub, Student.NewName("browser"));
        var from = hub.HubLog.Count;
        var flow = BrowserStudent.RunAsync(host, hub.HubUrl, student.Name, hub.StudentPassword, options, Ct);

        // When the browser goes away once the hub has logged the student in (the flow is then past its login)
        await Deadline.RunAsync("the hub to log the student in", Deadline.Of(60),
            t => hub.HubLog.WaitForLineAsync(l => l.Contains("logged in", StringComparison.Ordinal) && l.Contains(student.Name, StringComparison.Ordinal), from, t),
            () => hub.HubLog.Tail(1), Ct);
        await host.Browser.CloseAsync();
        var run = await flow;

        // Then the run says the harness broke, not that the page failed
        TestContext.Current.AddAttachment("browser.txt", run.Render());
        run.Verdict.Should().NotBe(BrowserVerdict.Failed, "a browser the harness lost says nothing about the deployment");
        run.Verdict.Should().NotBe(BrowserVerdict.Passed);
        run.Cause.Should().Contain("closed");
    }

    [Fact]
    public async Task AMissingChromiumIsASkipOrUnderKrRequireTierAHarnessError()
    {
        _ = process.Hub; // the process tier is here (or the test shows why not)
        var missing = new Dictionary<string, string> { ["KR_CHROMIUM"] = "/nonexistent/chromium", ["KR_OUTPUT"] = Path.Combine(_dir, "runs") };

        // When the browser check runs without a Chromium, beside a check that runs, first as a skip, then required
        var skipped = await KrProcess.RunAsync(missing, Deadline.Of(300), Ct, "run", "--cells", ProcessCell, "--checks", "kernel-starts,browser");
        var required = await KrProcess.RunAsync(new Dictionary<string, string>(missing) { ["KR_REQUIRE_TIER"] = "browser" }, Deadline.Of(300), Ct,
            "run", "--cells", ProcessCell, "--checks", "kernel-starts,browser");

        // Then the skip is said with its reason and is not counted as a pass of the browser; required, it is the harness's error
        skipped.ExitCode.Should().Be(0, skipped.Output);
        skipped.Output.Should().Contain("not run: browser").And.Contain("/nonexistent/chromium");
        required.ExitCode.Should().Be(3, required.Output);
        required.Output.Should().Contain("harness error").And.Contain("/nonexistent/chromium");
    }
}
