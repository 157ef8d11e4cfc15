namespace KernelRegression.Suite.Cli;

/// <summary>
/// Bad input to kr bisect and kr bench gets a clear error and a non-zero exit, before anything is
/// started (no hub, no container): the operator reads what is wrong and what to do.
/// </summary>
public sealed class BadInputTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task AnUnknownAxisValueIsNamedWithTheAcceptedOnes()
    {
        var (exit, output) = await KrProcess.RunAsync(Ct, "bisect", "profile", "history/01-initial", "history/99-no-such", "--image", "bookworm-pre-pr233");

        exit.Should().Be(2);
        output.Should().Contain("unknown launch profile 'history/99-no-such' (value 2 of the profile axis)").And.Contain("what to do:");
    }

    [Fact]
    public async Task AMissingDockerEngineIsNamedWithHowToStartOne()
    {
        var (exit, output) = await KrProcess.RunAsync(new Dictionary<string, string> { ["DOCKER_HOST"] = "unix:///nonexistent/docker.sock" }, Ct,
            "run", "--tier", "docker", "--cells", "docker/hub-bookworm/img-bookworm/profile-default", "--output", Path.Combine(Path.GetTempPath(), "kr-bad-input-reports"));

        exit.Should().Be(2);
        output.Should().Contain("no Docker engine answers").And.Contain("/nonexistent/docker.sock").And.Contain("eng/bootstrap.sh docker");
    }

    [Fact]
    public async Task ALoginWithoutItsPasswordFileIsRefused()
    {
        var (exit, output) = await KrProcess.RunAsync(Ct, "run", "--tier", "existing", "--hub-url", "http://127.0.0.1:9/", "--browser", "--user", "student1");

        exit.Should().NotBe(0);
        output.Should().Contain("--user and --password-file go together");
    }

    [Fact]
    public async Task AnUnknownImageIsNamedWithTheDeclaredOnes()
    {
        var (exit, output) = await KrProcess.RunAsync(Ct, "bisect", "image", "bookworm", "bookwrom");

        exit.Should().Be(2);
        output.Should().Contain("unknown image 'bookwrom'").And.Contain("declared: host, bullseye, bookworm");
    }

    [Fact]
    public async Task GoodAndBadSwappedIsRefused()
    {
        var (exit, output) = await KrProcess.RunAsync(Ct, "bisect", "profile", "history", "--good", "05-spawner-cmd", "--bad", "02-memory-raised");

        exit.Should().Be(2);
        output.Should().Contain("good and bad swapped?");
    }

    [Fact]
    public async Task AMalformedMatrixFileIsRefusedWithItsLine()
    {
        var matrix = Path.Combine(Path.GetTempPath(), $"kr-malformed-{Guid.NewGuid():N}.yaml");
        await File.WriteAllTextAsync(matrix, "hubs:\n  trixie: {suite: trixie\nimages: [\n", Ct);
        try
        {
            var (exit, output) = await KrProcess.RunAsync(Ct, "bisect", "image", "bookworm", "sid", "--matrix", matrix);

            exit.Should().Be(2);
            output.Should().Contain($"matrix file {matrix} is malformed at line");
        }
        finally
        {
            File.Delete(matrix);
        }
    }

    [Fact]
    public async Task FewerThanTwoValuesIsRefused()
    {
        var (exit, output) = await KrProcess.RunAsync(Ct, "bisect", "hub", "trixie");

        exit.Should().Be(2);
        output.Should().Contain("bisect needs at least 2 ordered hub values, got 1 ('trixie')");
    }

    [Fact]
    public async Task AnUnknownAxisIsRefused()
    {
        var (exit, output) = await KrProcess.RunAsync(Ct, "bisect", "chart-version", "3.3.8", "4.2.0");

        exit.Should().NotBe(0);
        output.Should().Contain("unknown axis 'chart-version'");
    }

    [Fact]
    public async Task TheCommitAxisWithoutARepositoryIsRefused()
    {
        var (exit, output) = await KrProcess.RunAsync(Ct, "bisect", "commits", "--good", "HEAD~3", "--bad", "HEAD");

        exit.Should().Be(2);
        output.Should().Contain("bisect commits needs --repo DIR, --good REV, --bad REV and --values PATH");
    }

    [Fact]
    public async Task BenchRefusesAnUnknownTier()
    {
        var (exit, output) = await KrProcess.RunAsync(Ct, "bench", "--tier", "kind");

        exit.Should().NotBe(0);
        output.Should().Contain("unknown tier 'kind'");
    }
}
