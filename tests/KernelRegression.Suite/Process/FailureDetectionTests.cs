using System.Diagnostics;
using KernelRegression.Tiers.Process;

namespace KernelRegression.Suite.Process;

/// <summary>
/// The checks can fail: a kernel that really dies, and bad input, are reported with their cause,
/// fast, in words that say what to do.
/// </summary>
public sealed class FailureDetectionTests(ProcessFixture tier) : StudentTest(tier.Hub)
{
    [Fact]
    public async Task ADyingKernelIsReportedWithItsCauseWithinFiveSeconds()
    {
        var student = await SpawnStudentAsync();
        await LeaveBrokenKernelspecAsync(student);
        var sw = Stopwatch.StartNew();

        var act = () => student.StartKernelAsync(Ct, "kr-crash");

        var died = (await act.Should().ThrowAsync<KernelDiedException>()).Which;
        sw.Elapsed.Should().BeLessThan(TimeSpan.FromSeconds(5), "a dead kernel is known from the server's status, not from a timeout");
        died.Cause.Should().Contain("ModuleNotFoundError: No module named 'kr_module_that_is_not_installed'");
        died.LastStatus.Should().MatchRegex("restarting|dead|disconnected");
    }

    [Fact]
    public async Task AnUnknownKernelNameListsTheKernelsOnOffer()
    {
        var student = await SpawnStudentAsync();

        var act = () => student.Server.StartKernelAsync("python2-that-does-not-exist", Ct);

        var e = (await act.Should().ThrowAsync<UnknownKernelException>()).Which;
        e.Available.Should().Contain("python3");
        e.Message.Should().Contain("python2-that-does-not-exist").And.Contain("python3");
    }

    [Fact]
    public async Task AWrongTokenIsRejectedWithTheFix()
    {
        using var hub = new HubClient(Deployment.HubUrl, "0123456789abcdef-not-a-token");
        var sw = Stopwatch.StartNew();

        var act = () => hub.CreateUserAsync(Student.NewName(), Ct);

        var e = (await act.Should().ThrowAsync<HubAuthException>()).Which;
        e.StatusCode.Should().BeOneOf(401, 403);
        e.Fix.Should().Contain("token");
        e.Message.Should().NotContain("0123456789abcdef-not-a-token", "tokens are never printed");
        sw.Elapsed.Should().BeLessThan(TimeSpan.FromSeconds(10));
    }

    [Fact]
    public async Task AnUnderScopedTokenNamesTheMissingScopes()
    {
        var student = await SpawnStudentAsync();
        var readOnly = await Deployment.Hub.CreateUserTokenAsync(student.Name, "read-only", TimeSpan.FromMinutes(5), ["read:users:name!user"], Ct);
        using var hub = new HubClient(Deployment.HubUrl, readOnly);

        var act = () => hub.EnsureScopesAsync(["admin:users", "admin:servers", "access:servers"], Ct);

        (await act.Should().ThrowAsync<HubAuthException>()).Which.Message.Should().Contain("admin:servers");
    }

    [Fact]
    public async Task AnUnreachableHubFailsFastNamingTheUrl()
    {
        using var hub = new HubClient(new Uri($"http://127.0.0.1:{FreePort.Next()}/"), "token");
        var sw = Stopwatch.StartNew();

        var act = () => hub.GetVersionAsync(Ct);

        var e = (await act.Should().ThrowAsync<HubUnreachableException>()).Which;
        e.Message.Should().Contain("127.0.0.1").And.Contain("ConnectionRefused");
        e.Fix.Should().Contain("KR_HUB_URL");
        sw.Elapsed.Should().BeLessThan(TimeSpan.FromSeconds(10));
    }

    [Fact]
    public async Task AMissingJupyterHubInstallNamesThePackageToInstall()
    {
        await using var run = Run.Start();
        var sw = Stopwatch.StartNew();

        var act = () => new ProcessHubBuilder().WithJupyterHub("/nonexistent/bin/jupyterhub").StartAsync(run, Ct);

        var e = (await act.Should().ThrowAsync<MissingPrerequisiteException>()).Which;
        e.Message.Should().Contain("/nonexistent/bin/jupyterhub");
        e.Fix.Should().Contain("eng/bootstrap.sh").And.Contain("apt-get install -y jupyterhub");
        sw.Elapsed.Should().BeLessThan(TimeSpan.FromSeconds(10));
    }
}
