using KernelRegression.Bisect;

namespace KernelRegression.Tests.Bisect;

/// <summary>Argument validation of a bisection: every value resolved, or refused with its name, before anything runs.</summary>
public sealed class BisectCandidatesTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;
    private static readonly MatrixFile Matrix = MatrixFile.Load(FixturePaths.Of("matrix.yaml"));
    private static string Work => Path.Combine(Path.GetTempPath(), "kr-bisect-tests-" + Guid.NewGuid().ToString("N"));

    [Fact]
    public async Task TheHistoryFolderExpandsToItsSixProfilesInOrder()
    {
        var request = new BisectRequest(BisectAxis.Profile, ["history"]) { Image = "bookworm-pre-pr233" };

        var (candidates, good, bad) = await BisectCandidates.ResolveAsync(Matrix, request, Work, Ct);

        candidates.Should().HaveCount(6);
        candidates.Select(c => c.Profile.Name).Should().BeInAscendingOrder(StringComparer.Ordinal);
        (good, bad).Should().Be((0, 5));
        candidates.Should().OnlyContain(c => c.Image.KernelPatch == "pre-pr233" && c.Hub.Name == "trixie");
    }

    [Fact]
    public async Task TheIncidentsChangeIsTheDiffBetweenProfilesFourAndFive()
    {
        var (c, _, _) = await BisectCandidates.ResolveAsync(Matrix, new BisectRequest(BisectAxis.Profile, ["history"]), Work, Ct);

        var diff = CandidateDiff.Between(BisectAxis.Profile, c[3], c[4]);

        diff.Should().ContainSingle().Which.Should().Be("command: null → [jupyterhub-singleuser, --ip=0.0.0.0, --port=8888]");
    }

    [Theory]
    [InlineData(BisectAxis.Profile, "history/01-initial,no-such-profile", "unknown launch profile 'no-such-profile' (value 2")]
    [InlineData(BisectAxis.Image, "bookworm,no-such-image", "unknown image 'no-such-image' (value 2")]
    [InlineData(BisectAxis.Hub, "trixie,no-such-hub", "unknown hub 'no-such-hub' (value 2")]
    [InlineData(BisectAxis.Hub, "trixie,z2jh-4", "Kubernetes hub")]
    [InlineData(BisectAxis.Profile, "default", "at least 2")]
    [InlineData(BisectAxis.Image, "bookworm,bookworm", "appears 2 times")]
    public async Task AnUnknownOrTooShortAxisIsRefusedNamingTheValue(BisectAxis axis, string values, string message)
    {
        var act = () => BisectCandidates.ResolveAsync(Matrix, new BisectRequest(axis, values.Split(',')), Work, Ct);

        (await act.Should().ThrowAsync<HarnessException>()).Which.What.Should().Contain(message);
    }

    [Fact]
    public async Task AGoodEndAfterTheBadEndIsRefusedAsSwapped()
    {
        var request = new BisectRequest(BisectAxis.Profile, ["history"]) { Good = "05-spawner-cmd", Bad = "02-memory-raised" };

        var act = () => BisectCandidates.ResolveAsync(Matrix, request, Work, Ct);

        (await act.Should().ThrowAsync<HarnessException>()).Which.What.Should().Contain("good and bad swapped?");
    }

    [Fact]
    public async Task AnEndThatIsNotAmongTheValuesIsRefused()
    {
        var request = new BisectRequest(BisectAxis.Image, ["bullseye", "bookworm", "sid"]) { Bad = "trixie" };

        var act = () => BisectCandidates.ResolveAsync(Matrix, request, Work, Ct);

        (await act.Should().ThrowAsync<HarnessException>()).Which.What.Should().Contain("unknown --bad value 'trixie'");
    }

    [Fact]
    public async Task ImageRefsWithATagAreUsedAsTheyAre()
    {
        var (c, _, _) = await BisectCandidates.ResolveAsync(Matrix, new BisectRequest(BisectAxis.Image, ["bookworm", "registry.example.org/nb:2026.11"]), Work, Ct);

        c[1].Image.Ref.Should().Be("registry.example.org/nb:2026.11");
    }

    [Fact]
    public void AnUnknownAxisIsRefused()
    {
        var act = () => BisectRequest.ParseAxis("chart-version");

        act.Should().Throw<HarnessException>().Which.What.Should().Contain("unknown axis 'chart-version'");
    }

    [Fact]
    public async Task TheCommitAxisIsBisectCommitsOverTheDeploymentsValues()
    {
        var act = () => BisectCandidates.ResolveAsync(Matrix, new BisectRequest(BisectAxis.Commit, ["v1..v2"]), Path.GetTempPath(), Ct);

        (await act.Should().ThrowAsync<HarnessException>()).Which.Fix.Should().Contain("kr bisect commits --repo DIR --good REV --bad REV --values PATH");
    }
}
