namespace KernelRegression.Tests.Workflows;

/// <summary>
/// What .ci/run counts (eng/test-results over each test project's TRX and exit code, as eng/test-project leaves
/// them): the sum over every test project, and a project whose run did not finish is a failure named, never a
/// count that silently shrinks. A cold CI run printed "478 passed" for 588 tests when one TRX overwrote another;
/// a test app killed before writing its TRX vanished from the count.
/// </summary>
public sealed class TestResultsTests : IDisposable
{
    private static readonly string[] Projects = ["KernelRegression.Kubernetes.Tests", "KernelRegression.Tests", "KernelRegression.Suite"];
    private readonly TempDir _results = new("kr-test-results-");

    public void Dispose() => _results.Dispose();

    [Fact]
    public async Task TheCountIsTheSumOverEveryProjectAndEachProjectsCountIsShown()
    {
        // Given three finished runs, one with a failed test
        Finished("KernelRegression.Kubernetes.Tests", 0, passed: 108, skipped: 2);
        Finished("KernelRegression.Tests", 0, passed: 333);
        Finished("KernelRegression.Suite", 2, passed: 144, failed: 1);

        // When
        var (exit, output) = await SummaryAsync();

        // Then
        exit.Should().Be(1, "a test failed");
        output.Should().Contain("FAILED KernelRegression.Suite.Failing0: it broke / here");
        output.Should().Contain("KernelRegression.Kubernetes.Tests: 108 passed, 0 failed, 2 skipped\n");
        output.Should().Contain("KernelRegression.Suite: 144 passed, 1 failed, 0 skipped\n");
        output.Split('\n', StringSplitOptions.RemoveEmptyEntries)[^1].Should().Be("585 passed, 1 failed, 2 skipped");
    }

    [Fact]
    public async Task AllGreenExitsZero()
    {
        foreach (var p in Projects)
        {
            Finished(p, 0, passed: 3);
        }

        var (exit, output) = await SummaryAsync();

        exit.Should().Be(0, output);
        output.Split('\n', StringSplitOptions.RemoveEmptyEntries)[^1].Should().Be("9 passed, 0 failed, 0 skipped");
    }

    [Fact]
    public async Task AnAppKilledBeforeWritingItsTrxFailsTheRunNamingTheProject()
    {
        // Given the suite's app killed by SIGKILL (exit 137): no TRX; the other two green
        Finished("KernelRegression.Kubernetes.Tests", 0, passed: 108);
        Finished("KernelRegression.Tests", 0, passed: 333);
        _results.Write("KernelRegression.Suite.exit", "137\n");

        var output = await FailsNamingAsync("FAILED the test run of KernelRegression.Suite: it wrote no TRX (exit 137: killed by SIGKILL)");

        output.Split('\n', StringSplitOptions.RemoveEmptyEntries)[^1].Should().Be("441 passed, 1 failed, 0 skipped");
    }

    [Fact]
    public async Task ARunStoppedAtItsDeadlineIsAFailureEvenWhenEveryTestItFinishedPassed()
    {
        // Given the suite stopped by --timeout (exit 3): its TRX holds only what had finished, all passed
        Finished("KernelRegression.Kubernetes.Tests", 0, passed: 108);
        Finished("KernelRegression.Tests", 0, passed: 333);
        Finished("KernelRegression.Suite", 3, passed: 40);

        await FailsNamingAsync("FAILED the test run of KernelRegression.Suite: it stopped early (exit 3: the test session was stopped before every test ran");
    }

    [Fact]
    public async Task AProjectThatNeverRanIsNamed()
    {
        Finished("KernelRegression.Kubernetes.Tests", 0, passed: 108);
        Finished("KernelRegression.Suite", 0, passed: 140);

        await FailsNamingAsync("FAILED the test run of KernelRegression.Tests: it wrote no TRX (no exit code recorded");
    }

    [Fact]
    public async Task TheProjectsAreEveryTestProjectUnitTestsFirst()
    {
        var (exit, output) = await RunAsync("--projects");

        exit.Should().Be(0);
        output.Split('\n', StringSplitOptions.RemoveEmptyEntries).Should().Equal(Projects);
    }

    /// <summary>A run's results as eng/test-project leaves them: NAME.trx (the TRX xunit writes) and NAME.exit.</summary>
    private void Finished(string project, int exitCode, int passed = 0, int failed = 0, int skipped = 0)
    {
        var results = string.Concat(
            Enumerable.Range(0, passed).Select(i => Result($"{project}.Passing{i}", "Passed", null)).Concat(
            Enumerable.Range(0, failed).Select(i => Result($"{project}.Failing{i}", "Failed", "it broke\n  here\n"))).Concat(
            Enumerable.Range(0, skipped).Select(i => Result($"{project}.Skipped{i}", "NotExecuted", null))));
        _results.Write(project + ".trx", $"""
            <?xml version="1.0" encoding="utf-8"?>
            <TestRun xmlns="http://microsoft.com/schemas/VisualStudio/TeamTest/2010">
              <ResultSummary outcome="{(failed > 0 ? "Failed" : "Completed")}">
                <Counters total="{passed + failed + skipped}" executed="{passed + failed}" passed="{passed}" failed="{failed}" error="0" />
              </ResultSummary>
              <Results>{results}</Results>
            </TestRun>
            """);
        _results.Write(project + ".exit", $"{exitCode}\n");
    }

    private static string Result(string name, string outcome, string? message) => message is null
        ? $"<UnitTestResult testName=\"{name}\" outcome=\"{outcome}\" />"
        : $"<UnitTestResult testName=\"{name}\" outcome=\"{outcome}\"><Output><ErrorInfo><Message>{message}</Message></ErrorInfo></Output></UnitTestResult>";

    /// <summary>The summary of the results so far, which must fail the run (exit 1) saying <paramref name="failure"/>.</summary>
    private async Task<string> FailsNamingAsync(string failure)
    {
        var (exit, output) = await SummaryAsync();
        exit.Should().Be(1, output);
        output.Should().Contain(failure);
        return output;
    }

    private Task<(int Exit, string Output)> SummaryAsync() => RunAsync(_results.FullName);

    private static Task<(int Exit, string Output)> RunAsync(params string[] args) => EngScript.RunAsync("test-results", args);
}
