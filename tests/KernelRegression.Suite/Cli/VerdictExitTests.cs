namespace KernelRegression.Suite.Cli;

/// <summary>
/// `kr run`'s exit code says what a run means: 0 when every cell met its expectation, 1 when a known-bad
/// cell failed for another reason, 3 when the harness itself broke (an image that does not build). Each
/// broken run beside the same cells run for real, which exit 0. The console and the reports say which.
/// </summary>
public sealed class VerdictExitTests : IDisposable
{
    private const string KernelspecCell = "process/hub-host/img-host/profile-host/scenario-broken-kernelspec";
    private const string IncidentCell = "docker/hub-trixie/img-bookworm-pre-pr233/profile-kubespawner-pr34-command";
    private readonly string _dir = Directory.CreateTempSubdirectory("kr-verdict-exit-").FullName;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public async Task AKnownBadCellThatFailsForAnotherReasonFailsTheRunAndTheRealCauseDoesNot()
    {
        // Given the matrix, and a copy whose rule for the cell expects the incident's cause instead of its own
        var wrong = Path.Combine(_dir, "matrix.yaml");
        var matrix = File.ReadAllText(FixturePaths.Of("matrix.yaml"));
        var rules = matrix.IndexOf("\nexpected:\n", StringComparison.Ordinal) + "\nexpected:\n".Length;
        File.WriteAllText(wrong, matrix.Insert(rules, """
              - when: {tier: process, scenario: broken-kernelspec}
                outcome: fail
                reason: a rule that expects another cause than the cell has
                link: https://github.com/ipython/ipykernel/pull/233
                cause_contains: while the server, its parent, is PID 1

            """));

        // When the same cell runs under each
        var real = await RunAsync([], "run", "--cells", KernelspecCell, "--checks", "kernel-starts");
        var other = await RunAsync(new() { ["KR_MATRIX"] = wrong }, "run", "--cells", KernelspecCell, "--checks", "kernel-starts");

        // Then
        real.ExitCode.Should().Be(0, real.Output);
        real.Output.Should().Contain("expected failure");
        other.ExitCode.Should().Be(1, other.Output);
        other.Output.Should().Contain("failed (another cause)").And.Contain("ModuleNotFoundError");
        Report(other.Output).Should().Contain("failed (another cause)").And.Contain("expected a cause containing «while the server, its parent, is PID 1»");
    }

    [Fact]
    [RequiresTier(typeof(DockerTierProbe))]
    public async Task AHubImageThatCannotBeBuiltIsAHarnessErrorNeverAnExpectedFailure()
    {
        // Given a copy of the fixtures whose hub recipe fails at its first step
        var fixtures = FixtureCopy.Into(_dir);
        var dockerfile = Path.Combine(fixtures, "images", "hub", "Dockerfile");
        var lines = File.ReadAllLines(dockerfile).ToList();
        lines.Insert(lines.FindIndex(l => l.StartsWith("FROM ", StringComparison.Ordinal)) + 1, "RUN echo 'kr: a hub recipe made to fail' >&2 && false");
        File.WriteAllLines(dockerfile, lines);

        // When the incident's known-bad cell runs with each
        var broken = await RunAsync(new() { ["KR_FIXTURES"] = fixtures }, "run", "--tier", "docker", "--cells", IncidentCell, "--checks", "kernel-starts");
        var real = await RunAsync([], "run", "--tier", "docker", "--cells", IncidentCell, "--checks", "kernel-starts");

        // Then
        broken.ExitCode.Should().Be(3, broken.Output);
        broken.Output.Should().Contain("harness error").And.Contain("kr: a hub recipe made to fail").And.NotContain("expected failure ");
        Report(broken.Output).Should().Contain("harness error");
        real.ExitCode.Should().Be(0, real.Output);
        real.Output.Should().Contain("expected failure").And.Contain("while the server, its parent, is PID 1");
    }

    private async Task<(int ExitCode, string Output)> RunAsync(Dictionary<string, string> env, params string[] args)
    {
        env["KR_OUTPUT"] = Path.Combine(_dir, "runs");
        return await KrProcess.RunAsync(env, Deadline.Of(900), Ct, args);
    }

    /// <summary>The report.md of the run whose output this is.</summary>
    private string Report(string output)
    {
        var runs = Directory.GetDirectories(Path.Combine(_dir, "runs"));
        var run = runs.Single(r => output.Contains(Path.GetFileName(r), StringComparison.Ordinal));
        return File.ReadAllText(Path.Combine(run, "report.md"));
    }
}
