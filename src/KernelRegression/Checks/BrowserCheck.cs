using KernelRegression.Browser;
using KernelRegression.Checks;
using KernelRegression.Tiers;
using KernelRegression.Host;
using KernelRegression.Students;

namespace KernelRegression.Checks;

/// <summary>
/// A student in a real browser (Debian's Chromium, driven by Playwright): logs in through the hub's page,
/// presses start, follows the spawn to the notebook UI the server offers, creates a notebook, runs
/// `print(6*7)` with the keyboard, and waits for 42 and an idle kernel. Its own student, its own spawn:
/// what the REST checks cannot see (front-end files, cookies, the page's own WebSocket) is what it checks.
/// </summary>
public sealed class BrowserCheck() : Check("browser", CheckNeeds.Nothing, destructive: false,
    "a student logs in, starts the server, opens a notebook in the UI the server offers, runs print(6*7) and sees 42")
{
    public override async Task<string> RunAsync(CellSession session, CancellationToken ct)
    {
        var hub = session.Deployment;
        var login = hub.Get<IStudentLogin>();
        var (user, password) = session.Options.BrowserLogin is { } given ? given
            : login is not null ? (Student.NewName("browser"), login.StudentPassword)
            : throw new CheckSkippedException($"the {hub.Tier} tier gives no student login: {hub.WhyNot<IStudentLogin>()}");
        // A fresh user of the harness's is removed (server stopped, user deleted) afterwards; a given one is not touched.
        await using var student = session.Options.BrowserLogin is null ? Student.Create(hub, user) : null;
        if (login is not null && session.Options.BrowserLogin is null)
        {
            await login.AssignLaunchAsync(user, session.Cell.UserOptions, ct);
        }
        var options = new BrowserOptions().WithEvidenceDirectory(Path.Combine(Host.Run.Root, hub.RunId, "browser", user));
        var run = await BrowserStudent.RunAsync(hub.HubUrl, user, password, options, ct);
        foreach (var (step, duration) in run.Timings)
        {
            session.Record(step, duration);
        }
        session.Browser = run;
        foreach (var shot in run.Screenshots)
        {
            session.Attach(new Attachment(Path.GetFileName(shot), FilePath: shot));
        }
        return run.Verdict switch
        {
            BrowserVerdict.Passed => $"{run.Ui} showed {run.Output} in {run.Steps.Sum(s => s.Duration.TotalSeconds):0.0} s",
            BrowserVerdict.Skipped => throw new CheckSkippedException(run.Cause ?? "no browser"),
            BrowserVerdict.HarnessError => throw new HarnessFaultException(run.Cause ?? $"the browser broke at {run.FailedStep}",
                "the browser, not the deployment: see browser.txt; a missing Chromium is `eng/bootstrap.sh browser` (or KR_CHROMIUM)"),
            _ => throw new CheckFailedException(run.Cause ?? $"the browser flow failed at {run.FailedStep}"),
        };
    }
}
