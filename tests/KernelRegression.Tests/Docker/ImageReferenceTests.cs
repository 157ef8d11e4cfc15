using KernelRegression.Tiers.Docker;
using KernelRegression.Docker;

namespace KernelRegression.Tests.Docker;

/// <summary>An image reference as the engine's pull, tag and import calls take it: repository and tag apart.</summary>
public sealed class ImageReferenceTests
{
    [Theory]
    [InlineData("kr/debian:bookworm", "kr/debian", "bookworm")]
    [InlineData("debian", "debian", "latest")]
    [InlineData("registry.example.org:5000/course/notebook", "registry.example.org:5000/course/notebook", "latest")]
    [InlineData("registry.example.org:5000/course/notebook:2026.09", "registry.example.org:5000/course/notebook", "2026.09")]
    [InlineData("quay.io/jupyter/base-notebook@sha256:0123456789abcdef", "quay.io/jupyter/base-notebook@sha256:0123456789abcdef", null)]
    public void AReferenceIsItsRepositoryAndTag(string reference, string repository, string? tag) =>
        DockerEngine.Split(reference).Should().Be((repository, tag));
}
