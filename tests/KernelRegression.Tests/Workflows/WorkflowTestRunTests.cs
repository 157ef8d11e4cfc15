using System.Text.RegularExpressions;

namespace KernelRegression.Tests.Workflows;

/// <summary>
/// Every workflow runs its tests through eng/test or eng/test-project, never `dotnet test` itself: only those name
/// each project's TRX and JUnit report after it, record its exit code for eng/test-results, and turn each failed
/// test into a GitHub Actions annotation (under `dotnet test` the test apps' workflow commands never reach the log).
/// </summary>
public sealed partial class WorkflowTestRunTests
{
    private static string Workflows => Path.Combine(FixturePaths.Root, "..", ".github", "workflows");

    [Fact]
    public void NoWorkflowRunsDotnetTestItself()
    {
        var files = Directory.GetFiles(Workflows, "*.yml");

        var offenders = files.Where(f => DotnetTest().IsMatch(File.ReadAllText(f))).Select(Path.GetFileName);

        files.Should().NotBeEmpty();
        offenders.Should().BeEmpty("tests run through eng/test or eng/test-project");
    }

    [Fact]
    public void TheDebianJobHandsGitHubActionsAndItsWorkspaceToTheTests()
    {
        var job = File.ReadAllText(Path.Combine(Workflows, "debian-job.sh"));

        job.Should().Contain("-e GITHUB_ACTIONS ", "eng/test-project turns the annotations on only on GitHub Actions")
            .And.Contain("-e GITHUB_WORKSPACE=/src ", "an annotation names its file relative to the checkout, which is /src in the container");
    }

    [GeneratedRegex(@"^[^#\n]*\bdotnet test\b", RegexOptions.Multiline)]
    private static partial Regex DotnetTest();
}
