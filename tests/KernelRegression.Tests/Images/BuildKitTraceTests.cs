using System.Text;
using System.Text.Json;
using KernelRegression.Tiers.Docker;
using KernelRegression.Images;

namespace KernelRegression.Tests.Images;

/// <summary>
/// BuildKit's status updates as the Engine API streams them. Data/buildkit-failed-build.jsonl is what Docker Engine
/// 26.1.5 (API 1.45) answered to POST /build?version=2 with a tar of Data/buildkit-failed-build.Dockerfile as the
/// body (curl on /var/run/docker.sock, 2026-12-06): two stages the target needs, one it does not, a last step
/// that prints to stdout and stderr and exits 3.
/// </summary>
public sealed class BuildKitTraceTests
{
    private static readonly IReadOnlyList<BuildKitTrace> Traces = [.. File.ReadLines(Path.Combine(AppContext.BaseDirectory, "Data", "buildkit-failed-build.jsonl"))
        .Select(l => JsonDocument.Parse(l).RootElement)
        .Where(m => m.TryGetProperty("id", out var id) && id.GetString() == "moby.buildkit.trace")
        .Select(m => BuildKitTrace.Decode(m.GetProperty("aux").GetString()!))];

    [Fact]
    public void TheStepsAreNamedByStageAndNumberAndTheUnusedStageIsNeverBuilt()
    {
        var names = Traces.SelectMany(t => t.Vertexes).Where(v => v.Started).Select(v => v.Name).Distinct().ToList();

        names.Should().Contain(["[a 1/2] FROM docker.io/kr/debian:bookworm", "[a 2/2] RUN echo stage-a2 > /a",
            "[stage-2 1/1] RUN echo hello from run2 && cat /a && echo to-stderr >&2 && exit 3"]);
        names.Should().NotContain(n => n.Contains("never", StringComparison.Ordinal), "BuildKit builds only the stages the target needs");
        Traces.SelectMany(t => t.Vertexes).Should().OnlyContain(v => v.Digest.StartsWith("sha256:", StringComparison.Ordinal));
    }

    [Fact]
    public void TheFailedStepCarriesItsErrorAndItsOwnOutputOnEachStream()
    {
        var failed = Traces.SelectMany(t => t.Vertexes).Single(v => v.Error is not null);
        var output = Traces.SelectMany(t => t.Logs).Where(l => l.Vertex == failed.Digest)
            .Select(l => (l.Stream, Text: Encoding.UTF8.GetString(l.Message))).ToList();

        failed.Name.Should().StartWith("[stage-2 1/1] RUN echo hello");
        failed.Error.Should().EndWith("did not complete successfully: exit code: 3");
        output.Should().Contain((1, "hello from run2\n")).And.Contain((1, "stage-a2\n")).And.Contain((2, "to-stderr\n"));
    }

    [Fact]
    public void AStatusCutShortIsAFormatErrorNotAWrongStep()
    {
        // A vertex (field 1, 3 bytes) whose digest (field 1) claims 16 bytes and has 1
        var vertex = new byte[] { 0x0a, 0x03, 0x0a, 0x10, (byte)'s' };

        var act = () => BuildKitTrace.Decode(Convert.ToBase64String(vertex));

        act.Should().Throw<FormatException>().WithMessage("*runs past*");
    }

    [Theory]
    [InlineData("[packages 3/7] RUN set -eu; suite=$(cat /etc/kr-suite)", "[packages 3/7] RUN")]
    [InlineData("[2/5] COPY hub/jupyterhub_config.py /srv/kr/", "[2/5] COPY")]
    [InlineData("[1/2] FROM", "[1/2] FROM")]
    public void AStepIsSaidInProgressByItsPlaceAndInstruction(string step, string said) =>
        ImageStore.Instruction(step).Should().Be(said);
}
