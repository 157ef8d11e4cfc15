namespace KernelRegression.Tests.Matrix;

public sealed class MatrixFileTests
{
    private const string Small = """
        hubs:
          bookworm: {suite: bookworm}
          sid: {suite: sid}
        images:
          bookworm: {suite: bookworm}
          old-kernel: {suite: bookworm, kernel_patch: pre-pr233}
          mine: {ref: example.org/me/nb:1}
        profiles: [default, kubespawner-pr34-command]
        default:
          - tier: docker
            hub: [bookworm, sid]
            image: [bookworm, old-kernel]
            profile: [default, kubespawner-pr34-command]
        expected:
          - when: {image: old-kernel, profile: kubespawner-pr34-command}
            outcome: fail
            reason: server is PID 1
            link: https://github.com/ipython/ipykernel/pull/233
            cause_contains: KernelRestarter
        """;

    [Fact]
    public void TheDefaultSelectionExpandsToCellsWithReadableStableIds()
    {
        var cells = MatrixFile.Parse(Small, "small.yaml").DefaultCells();

        cells.Should().HaveCount(8);
        cells.Select(c => c.Id).Should().Contain("docker/hub-sid/img-old-kernel/profile-kubespawner-pr34-command");
        cells.Select(c => c.Id).Should().OnlyHaveUniqueItems();
    }

    [Fact]
    public void KnownBadCellsCarryTheirExpectationAndOthersExpectToPass()
    {
        var m = MatrixFile.Parse(Small, "small.yaml");

        var bad = m.Cell("docker", "bookworm", "old-kernel", "kubespawner-pr34-command");
        var good = m.Cell("docker", "bookworm", "old-kernel", "default");

        bad.Expected.ExpectFailure.Should().BeTrue();
        bad.Expected.Link.Should().Be("https://github.com/ipython/ipykernel/pull/233");
        bad.Expected.CauseContains.Should().Be("KernelRestarter");
        good.Expected.Should().Be(Expectation.Pass);
    }

    [Fact]
    public void AnImageBroughtByTheUserIsUsedAsIs()
    {
        var image = MatrixFile.Parse(Small, "small.yaml").Image("mine");

        image.IsBuilt.Should().BeFalse();
        image.Ref.Should().Be("example.org/me/nb:1");
    }

    [Theory]
    [InlineData("docker/hub-sid/*", 4)]
    [InlineData("*/img-old-kernel/profile-default", 2)]
    [InlineData("docker/hub-bookworm/img-bookworm/profile-default,docker/hub-sid/img-bookworm/profile-default", 2)]
    [InlineData("", 8)]
    [InlineData("nothing/*", 0)]
    public void KrCellsNarrowsByGlobs(string filter, int expected)
    {
        var cells = MatrixFile.Parse(Small, "small.yaml").DefaultCells();

        MatrixFile.Narrow(cells, filter).Should().HaveCount(expected);
    }

    [Fact]
    public void AnUndeclaredAxisValueIsNamedWithTheDeclaredOnes()
    {
        var yaml = Small.Replace("image: [bookworm, old-kernel]", "image: [bookworm, bookwrom]", StringComparison.Ordinal);

        var act = () => MatrixFile.Parse(yaml, "typo.yaml");

        act.Should().Throw<HarnessException>().Which.Message.Should()
            .Contain("typo.yaml").And.Contain("image 'bookwrom'").And.Contain("bookworm, mine, old-kernel");
    }

    [Fact]
    public void MalformedYamlNamesTheLine()
    {
        var act = () => MatrixFile.Parse("hubs:\n  bookworm: {suite: bookworm\nimages: [", "broken.yaml");

        act.Should().Throw<HarnessException>().Which.Message.Should().Contain("broken.yaml is malformed at line");
    }

    [Fact]
    public void AnImageWithNeitherSuiteNorRefIsRejected()
    {
        var act = () => MatrixFile.Parse("images:\n  x: {stack: server}\n", "m.yaml");

        act.Should().Throw<HarnessException>().Which.Message.Should().Contain("image 'x' has neither a suite");
    }

    private const string Axes = """
        hubs: {bookworm: {suite: bookworm}, sid: {suite: sid}}
        images: {bookworm: {suite: bookworm}, old-kernel: {suite: bookworm, kernel_patch: pre-pr233}}
        profiles: [default, kubespawner-pr34-command]
        expected:
        """;

    /// <summary>The axes above with these rules under `expected:` (the first rule is on line 5).</summary>
    private static Action Parsing(string rules) => () => MatrixFile.Parse(Axes + "\n" + rules, "rules.yaml");

    [Fact]
    public void ABlankCauseContainsIsRefusedNamingItsLine() =>
        Parsing("""
              - when: {image: old-kernel}
                outcome: fail
                reason: server is PID 1
                cause_contains: "   "
            """).Should().Throw<HarnessException>().Which.Message.Should().Contain("rules.yaml").And.Contain("line 5").And.Contain("cause_contains");

    [Fact]
    public void AnEmptyWhenIsRefusedItWouldMatchEveryCell() =>
        Parsing("""
              - when: {}
                outcome: fail
                reason: everything
                cause_contains: PID 1
            """).Should().Throw<HarnessException>().Which.Message.Should().Contain("line 5").And.Contain("when").And.Contain("every cell");

    [Fact]
    public void TwoRulesThatCanMatchTheSameCellWithoutOneRefiningTheOtherAreRefusedNamingBoth() =>
        Parsing("""
              - when: {image: old-kernel}
                outcome: fail
                reason: the pre-fix kernel
                cause_contains: PID 1
              - when: {hub: sid}
                outcome: pass
            """).Should().Throw<HarnessException>().Which.Message.Should().Contain("line 5").And.Contain("line 9").And.Contain("ambiguous");

    [Fact]
    public void ARuleThatRefinesAnotherWinsForTheCellsItMatchesWhereverItIsWritten()
    {
        // Given a general rule and a refinement written before it (order must not matter)
        var m = MatrixFile.Parse(Axes + "\n" + """
              - when: {image: old-kernel, hub: sid}
                outcome: pass
              - when: {image: old-kernel}
                outcome: fail
                reason: the pre-fix kernel
                cause_contains: PID 1
            """, "rules.yaml");

        // Then
        m.Cell("docker", "sid", "old-kernel", "default").Expected.Should().Be(Expectation.Pass);
        m.Cell("docker", "bookworm", "old-kernel", "default").Expected.ExpectFailure.Should().BeTrue();
    }

    [Theory]
    [InlineData("expected: flaky\n", "'flaky', which is neither pass nor fail")]
    [InlineData("expected: fail\ncause_contains: \"  \"\n", "no cause_contains (only blanks")]
    [InlineData("expected: fail\n", "no cause_contains")]
    public void AScenarioWhoseExpectationCannotBeJudgedIsRefused(string yaml, string said) =>
        new Action(() => Scenario.Parse("title: t\n" + yaml, "scenarios/s.yaml", "s")).Should().Throw<HarnessException>()
            .Which.Message.Should().Contain("scenarios/s.yaml").And.Contain(said);

    [Fact]
    public void TheShippedMatrixIsValidAndHasAtLeastThreeHubsAndFourImagesByDefault()
    {
        var cells = MatrixFile.Load(FixturePaths.Of("matrix.yaml")).DefaultCells().Where(c => c.Tier == "docker").ToList();

        cells.Select(c => c.Hub.Name).Distinct().Should().HaveCountGreaterThanOrEqualTo(3);
        cells.Select(c => c.Image.Name).Distinct().Should().HaveCountGreaterThanOrEqualTo(4);
        cells.Should().Contain(c => c.Expected.ExpectFailure, "the incident's known-bad cell is part of the default run");
    }

    [Fact]
    public void AMatrixThatNamesAnUnknownCheckIsRefusedBeforeAnythingRuns()
    {
        var matrix = MatrixFile.Parse("checks: [kernel-starts, kernel-sarts]\n", "misspelt.yaml");

        var verify = () => CheckCatalog.Verified(matrix);

        verify.Should().Throw<HarnessException>().WithMessage("*unknown check 'kernel-sarts'*").Which.Fix.Should().Contain("kernel-starts");
    }
}
