using KernelRegression.Faults;
using KernelRegression.Host;
using KernelRegression.Tiers.Docker;
using KernelRegression.Images;
using KernelRegression.Docker;

namespace KernelRegression.Suite.Images;

/// <summary>
/// The build path every image of the docker tier takes (<see cref="ImageBuild"/>: the Engine API's build endpoint with
/// BuildKit, docs/images.md), on this machine's engine: a multi-stage recipe, a failing step, a stalled step. If the
/// engine stops accepting it, these fail with the engine's refusal and the fix (<see cref="ImageBuild.RefusedFix"/>).
/// </summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public sealed class ImageBuildTests(DockerFixture docker) : IAsyncLifetime
{
    private readonly string _id = Guid.NewGuid().ToString("N")[..12];
    private readonly string _recipe = Directory.CreateTempSubdirectory("kr-image-build-").FullName;
    private readonly List<string> _steps = [];

    private static CancellationToken Ct => TestContext.Current.CancellationToken;
    private string Tag => $"kr/test-build:{_id}";

    public async ValueTask InitializeAsync()
    {
        _ = docker.Tier; // skips (or fails, under KR_REQUIRE_TIER=docker) without a Docker engine
        await BaseImage.EnsureAsync("bookworm", line => TestContext.Current.SendDiagnosticMessage(line), Ct);
    }

    public async ValueTask DisposeAsync()
    {
        if (new DockerTierProbe().WhyNot() is null)
        {
            await DockerEngine.RemoveImageAsync(Tag, CancellationToken.None);
        }
        Directory.Delete(_recipe, recursive: true);
    }

    [Fact]
    public async Task AMultiStageRecipeIsBuiltStepByStepAndLeavesNoUntaggedStage()
    {
        // Given a recipe with a script, a stage the target needs and one it does not, each stage labelled with this test
        File.WriteAllText(Path.Combine(_recipe, "hello.sh"), "#!/bin/sh\necho hello from the context\n");
        File.SetUnixFileMode(Path.Combine(_recipe, "hello.sh"), UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        File.WriteAllText(Path.Combine(_recipe, "Dockerfile"), $$"""
            ARG BASE
            FROM ${BASE} AS needed
            LABEL org.kernelregression.test={{_id}}
            COPY hello.sh /usr/local/bin/hello
            RUN hello > /greeting
            FROM ${BASE} AS unused
            LABEL org.kernelregression.test={{_id}}
            RUN echo never built > /never
            FROM needed
            RUN test "$(cat /greeting)" = "hello from the context"
            """);

        // When it is built as the docker tier builds its images
        using var context = BuildContext.Of(_recipe);
        var image = await BuildAsync(context, Deadline.Of(300));

        // Then
        (await DockerEngine.ImageIdAsync(Tag, Ct)).Should().Be(image);
        _steps.Should().Contain(s => s.StartsWith("[needed 3/3] RUN hello", StringComparison.Ordinal))
            .And.Contain(s => s.StartsWith("[stage-2 1/1] RUN test", StringComparison.Ordinal))
            .And.NotContain(s => s.Contains("never built", StringComparison.Ordinal), "a stage the target does not need is not built");
        (await DockerEngine.UntaggedImagesAsync($"org.kernelregression.test={_id}", Ct)).Should()
            .BeEmpty("no stage of the build is left as an untagged image (the classic builder left the unused stage's)");
    }

    [Fact]
    public async Task AFailingStepIsSaidWithItsOwnLastWordsAndLeavesNoImage()
    {
        // Given a recipe whose second step says why and fails
        using var context = BuildContext.OfDockerfile("""
            ARG BASE
            FROM ${BASE}
            RUN echo 'getting ready' && echo 'kr: a recipe made to fail' >&2 && exit 3
            """);

        // When
        var act = () => BuildAsync(context, Deadline.Of(300));

        // Then
        var failure = (await act.Should().ThrowAsync<HarnessFaultException>()).Which;
        failure.What.Split('\n')[0].Should().Be($"docker build of {Tag} failed at [2/2] RUN echo 'getting ready' && echo 'kr: a recipe made to fail' >&2 && exit 3: kr: a recipe made to fail");
        failure.What.Should().Contain("getting ready").And.EndWith("did not complete successfully: exit code: 3");
        (await DockerEngine.ImageExistsAsync(Tag, Ct)).Should().BeFalse();
    }

    [Fact]
    public async Task ABuildPastItsLimitSaysTheStepItWasAtAndTheEngineStopsThatStep()
    {
        // Given a step that would run for 50 min
        using var context = BuildContext.OfDockerfile($$"""
            ARG BASE
            FROM ${BASE}
            RUN echo {{_id}} && sleep 3017
            """);

        // When the build's limit is 20 s
        var act = () => BuildAsync(context, TimeSpan.FromSeconds(20));

        // Then
        var failure = (await act.Should().ThrowAsync<HarnessFaultException>()).Which;
        failure.What.Should().Be($"the docker build of {Tag} did not finish within 20 s; it was at [2/2] RUN echo {_id} && sleep 3017");
        failure.Fix.Should().Be("the stall's fix");
        await Eventually.TrueAsync("the stalled step's process to end", _ => Task.FromResult(
            !LocalProcess.All().Any(p => p.CommandLine == "sleep 3017")), TimeSpan.FromSeconds(15), Ct);
    }

    [Fact]
    public async Task ABuilderTheEngineRefusesIsSaidWithTheFix()
    {
        // Given the engine's build endpoint asked for a builder it does not have
        using var context = BuildContext.OfDockerfile("FROM scratch\n");

        // When
        var act = () => ImageBuild.RunAsync(Tag, context, "Dockerfile", new Dictionary<string, string>(), $"docker build of {Tag}", Deadline.Of(60),
            "the stall's fix", _steps.Add, Ct, builder: "3");

        // Then
        var refusal = (await act.Should().ThrowAsync<HarnessFaultException>()).Which;
        refusal.What.Should().Be($"the docker build of {Tag}: the Docker engine answered 400 BadRequest: invalid version \"3\"");
        refusal.Fix.Should().Be(ImageBuild.RefusedFix);
    }

    private Task<string> BuildAsync(BuildContext context, TimeSpan limit) =>
        ImageBuild.RunAsync(Tag, context, "Dockerfile", new Dictionary<string, string> { ["BASE"] = BaseImage.Tag("bookworm") }, $"docker build of {Tag}", limit,
            "the stall's fix", _steps.Add, Ct);
}
