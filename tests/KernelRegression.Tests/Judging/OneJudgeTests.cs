using System.Text.RegularExpressions;

namespace KernelRegression.Tests.Judging;

/// <summary>
/// One judge decides everything that is judged (src/KernelRegression/Judging/): the engine, the command
/// line and the fault rows only ask it. Read from the source itself, so a decision made anywhere else
/// is found the day it is written: naming an outcome, a check's verdict or a bisect probe's verdict;
/// wording an outcome; taking every harness error for an answer in a judged area; a fault row that
/// asserts on what a fault saw instead of asking the judge.
/// </summary>
public sealed partial class OneJudgeTests
{
    /// <summary>What must not appear outside the judge, why, and the files where it may (paths relative to the repository, '/'-separated).</summary>
    private sealed record Rule(string Name, Regex Pattern, string[] Scope, string[] AllowedIn);

    private static readonly string[] Scanned = ["src", "tests"];

    private static readonly Rule[] Rules =
    [
        new("names a cell's outcome", CellOutcome(), ["src/"], ["src/KernelRegression/Judging/"]),
        new("names a check's verdict", CheckVerdict(), ["src/"], ["src/KernelRegression/Judging/", "src/KernelRegression/Checks/CheckOutcome.cs"]),
        new("names a bisect probe's verdict", ProbeVerdict(), ["src/"], ["src/KernelRegression/Judging/", "src/KernelRegression/Bisect/Bisection.cs"]),
        new("words an outcome", OutcomeWording(), ["src/"], ["src/KernelRegression/Judging/"]),
        new("takes every harness error for an answer", CatchAllHarness(),
            ["src/KernelRegression/Faults/", "src/KernelRegression/Checks/", "src/KernelRegression/Browser/", "src/KernelRegression/Bisect/"], []),
        new("asserts on what a fault saw instead of asking the judge", FaultStringAssert(),
            ["tests/KernelRegression.Suite/Faults/", "tests/KernelRegression.Kubernetes.Tests/KindLiveTests.cs"], []),
    ];

    [Fact]
    public void NothingOutsideTheJudgeDecidesAnOutcome()
    {
        // Given every C# file of the engine, the command line and the fault rows
        var root = Repository.Root;
        var files = Scanned.SelectMany(d => Directory.EnumerateFiles(Path.Combine(root, d), "*.cs", SearchOption.AllDirectories))
            .Select(f => Path.GetRelativePath(root, f).Replace('\\', '/'))
            .Where(f => !f.Contains("/bin/", StringComparison.Ordinal) && !f.Contains("/obj/", StringComparison.Ordinal))
            .ToList();
        files.Should().Contain("src/KernelRegression/Judging/Judge.cs", "the test must see the engine it exists for");

        // When each rule is applied to the files in its scope
        var found = Rules.SelectMany(rule => files
            .Where(f => rule.Scope.Any(s => f.StartsWith(s, StringComparison.Ordinal)) && !rule.AllowedIn.Any(a => f.StartsWith(a, StringComparison.Ordinal)))
            .SelectMany(f => File.ReadAllLines(Path.Combine(root, f)).Select((line, i) => (f, i, line)))
            .Where(x => !x.line.TrimStart().StartsWith("//", StringComparison.Ordinal) && rule.Pattern.IsMatch(x.line))
            .Select(x => $"{x.f}:{x.i + 1}: {rule.Name}: {x.line.Trim()}"))
            .ToList();

        // Then none is found
        string.Join('\n', found).Should().BeEmpty("every judgement goes through src/KernelRegression/Judging/ (ask the judge; it words and decides)");
    }

    [Theory]
    [InlineData("return report.Outcome == Outcome.HarnessError;", "names a cell's outcome")]
    [InlineData("{ Verdict: Verdict.Passed } => \"ok\",", "names a check's verdict")]
    [InlineData("return (StepVerdict.Skip, why);", "names a bisect probe's verdict")]
    [InlineData("$\"Expected to fail ({reason}) but passed\"", "words an outcome")]
    [InlineData("catch (ActionableException e)", "takes every harness error for an answer")]
    [InlineData("e.DetectedBy.Should().StartWith(\"no kernel_info_reply\");", "asserts on what a fault saw instead of asking the judge")]
    public void EachRuleFindsWhatItIsAbout(string line, string rule) =>
        Rules.Where(r => r.Pattern.IsMatch(line)).Select(r => r.Name).Should().Equal(rule);

    [GeneratedRegex(@"\bOutcome\.(Passed|Failed|ExpectedFailure|FailedOtherCause|UnexpectedPass|HarnessError|Skipped)\b")]
    private static partial Regex CellOutcome();

    [GeneratedRegex(@"(?<![A-Za-z])Verdict\.(Passed|Failed|NotAttempted|Skipped|HarnessError)\b")]
    private static partial Regex CheckVerdict();

    [GeneratedRegex(@"\b(Step|Probe)Verdict\.(Good|Bad|Skip)\b")]
    private static partial Regex ProbeVerdict();

    [GeneratedRegex(@"unexpected(ly)? pass|expected to fail|but passed|no longer caught|(failed|fails|failing) for another (reason|cause)", RegexOptions.IgnoreCase)]
    private static partial Regex OutcomeWording();

    [GeneratedRegex(@"catch\s*\(\s*(Harness(Fault)?|Actionable)Exception\b[^)]*\)(?!\s*when)")]
    private static partial Regex CatchAllHarness();

    [GeneratedRegex(@"\b(Detected|DetectedBy|Recovered|After|Error|Seen)\s*\.\s*Should\(\)|OnlyContain\(\s*\w+\s*=>\s*\w+\.Error\b")]
    private static partial Regex FaultStringAssert();
}
