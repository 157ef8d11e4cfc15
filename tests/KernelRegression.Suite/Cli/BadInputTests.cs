using System.Text.RegularExpressions;
using KernelRegression.Tests.Support;

namespace KernelRegression.Suite.Cli;

/// <summary>
/// Bad input to kr gets a clear error and exit 2, before anything is started (no hub, no container):
/// the operator reads what is wrong and what to do.
/// </summary>
public sealed class BadInputTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    /// <summary>kr with these arguments: its output, once it is known to have exited with <paramref name="exit"/> (2: bad input).</summary>
    private static async Task<string> RefusedAsync(params string[] args) => await RefusedAsync(2, args);

    /// <param name="exit">The exit code it must end with; null for any but 0.</param>
    private static async Task<string> RefusedAsync(int? exit, params string[] args)
    {
        var (code, output) = await KrProcess.RunAsync(Ct, args);
        if (exit is { } expected)
        {
            code.Should().Be(expected);
        }
        else
        {
            code.Should().NotBe(0);
        }
        return output;
    }

    [Fact]
    public async Task AnUnknownAxisValueIsNamedWithTheAcceptedOnes()
    {
        (await RefusedAsync("bisect", "profile", "history/01-initial", "history/99-no-such", "--image", "bookworm-pre-pr233"))
            .Should().Contain("unknown launch profile 'history/99-no-such' (value 2 of the profile axis)").And.Contain("what to do:");
    }

    [Fact]
    public async Task AMissingDockerEngineIsNamedWithHowToStartOne()
    {
        using var reports = new TempDir("kr-bad-input-reports-");
        var (exit, output) = await KrProcess.RunAsync(new Dictionary<string, string> { ["DOCKER_HOST"] = "unix:///nonexistent/docker.sock" }, Ct,
            "run", "--tier", "docker", "--cells", "docker/hub-bookworm/img-bookworm/profile-default", "--output", reports.FullName);

        exit.Should().Be(2);
        output.Should().Contain("no Docker engine answers").And.Contain("/nonexistent/docker.sock").And.Contain("eng/bootstrap.sh docker");
    }

    [Fact]
    public async Task AMisspeltOptionIsRefusedNotIgnored()
    {
        // Ignored, --cell (for --cells) would have run the whole default matrix.
        (await RefusedAsync("run", "--tier", "docker", "--cell", "docker/hub-bookworm/*"))
            .Should().Contain("Unknown option 'cell'");
    }

    [Fact]
    public async Task AMissingJupyterHubIsSaidOnceBeforeAnyCell()
    {
        using var reports = new TempDir("kr-bad-input-reports-");
        var (exit, output) = await KrProcess.RunAsync(new Dictionary<string, string> { ["KR_JUPYTERHUB"] = "/nonexistent/jupyterhub" }, Ct,
            "run", "--tier", "process", "--output", reports.FullName);

        exit.Should().Be(2, output);
        output.Should().Contain("JupyterHub is not installed: /nonexistent/jupyterhub does not exist").And.Contain("eng/bootstrap.sh process")
            .And.NotContain("harness error");
    }

    [Fact]
    public async Task ALoginWithoutItsPasswordFileIsRefused()
    {
        (await RefusedAsync("run", "--tier", "existing", "--hub-url", "http://127.0.0.1:9/", "--browser", "--user", "student1"))
            .Should().Contain("--user and --password-file go together");
    }

    [Fact]
    public async Task AnUnknownImageIsNamedWithTheDeclaredOnes()
    {
        (await RefusedAsync("bisect", "image", "bookworm", "bookwrom"))
            .Should().Contain("unknown image 'bookwrom'").And.Contain("declared: host, bullseye, bookworm");
    }

    [Fact]
    public async Task GoodAndBadSwappedIsRefused()
    {
        (await RefusedAsync("bisect", "profile", "history", "--good", "05-spawner-cmd", "--bad", "02-memory-raised"))
            .Should().Contain("good and bad swapped?");
    }

    [Fact]
    public async Task AMalformedMatrixFileIsRefusedWithItsLine()
    {
        var matrix = Path.Combine(Path.GetTempPath(), $"kr-malformed-{Guid.NewGuid():N}.yaml");
        await File.WriteAllTextAsync(matrix, "hubs:\n  trixie: {suite: trixie\nimages: [\n", Ct);
        try
        {
            (await RefusedAsync("bisect", "image", "bookworm", "sid", "--matrix", matrix))
                .Should().Contain($"matrix file {matrix} is malformed at line");
        }
        finally
        {
            File.Delete(matrix);
        }
    }

    [Fact]
    public async Task AScenarioExpectingNeitherPassNorFailIsRefusedWithTheAllowedValues()
    {
        // Given a copy of the fixtures whose broken-kernelspec scenario expects something the judge has no rule for
        var folder = Directory.CreateTempSubdirectory("kr-bad-scenario-").FullName;
        try
        {
            var fixtures = FixtureCopy.Into(folder);
            var scenario = Path.Combine(fixtures, "scenarios", "broken-kernelspec.yaml");
            await File.WriteAllTextAsync(scenario, Regex.Replace(await File.ReadAllTextAsync(scenario, Ct), "(?m)^expected: .*$", "expected: flaky"), Ct);

            // When its matrix is read
            var (exit, output) = await KrProcess.RunAsync(new Dictionary<string, string> { ["KR_FIXTURES"] = fixtures }, Ct, "cells");

            // Then
            exit.Should().Be(2, output);
            output.Should().Contain("broken-kernelspec.yaml").And.Contain("'flaky'").And.Contain("neither pass nor fail");
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    [Fact]
    public async Task FewerThanTwoValuesIsRefused()
    {
        (await RefusedAsync("bisect", "hub", "trixie"))
            .Should().Contain("bisect needs at least 2 ordered hub values, got 1 ('trixie')");
    }

    [Fact]
    public async Task AnUnknownAxisIsRefused()
    {
        (await RefusedAsync("bisect", "chart-version", "3.3.8", "4.2.0"))
            .Should().Contain("unknown axis 'chart-version'");
    }

    [Fact]
    public async Task TheCommitAxisWithoutValuesIsRefused()
    {
        (await RefusedAsync("bisect", "commits", "--good", "HEAD~3", "--bad", "HEAD"))
            .Should().Contain("bisect commits needs --good REV, --bad REV and --values PATH (one or more), of --repo DIR");
    }

    [Fact]
    public async Task BenchRefusesAnUnknownTier()
    {
        (await RefusedAsync("bench", "--tier", "kind"))
            .Should().Contain("unknown tier 'kind'");
    }
}
