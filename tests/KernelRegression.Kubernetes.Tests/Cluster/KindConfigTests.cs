using KernelRegression.Kubernetes.Cluster;

namespace KernelRegression.Kubernetes.Tests.Cluster;

public sealed class KindConfigTests
{
    [Fact]
    public void TheRenderedConfigCarriesTheRunsNameNodeImageAndHostPort()
    {
        // Given a run's cluster
        var config = new KindConfig(ClusterName.For("20261124-101010-abcdef"), "kindest/node:v1.32.5", 41234);

        // When it is rendered and read back as kind would
        var yaml = config.Render();
        var doc = KindConfig.Parse(yaml);

        // Then
        yaml.Should().Contain("kind: Cluster").And.Contain("apiVersion: kind.x-k8s.io/v1alpha4");
        doc.Name.Should().Be("kr-20261124-101010-abcdef");
        doc.Nodes.Should().ContainSingle().Which.Image.Should().Be("kindest/node:v1.32.5");
        var mapping = doc.Nodes[0].ExtraPortMappings.Should().ContainSingle().Subject;
        mapping.ContainerPort.Should().Be(KindConfig.ProxyNodePort);
        mapping.HostPort.Should().Be(41234);
        mapping.ListenAddress.Should().Be("127.0.0.1");
    }

    [Fact]
    public void TheRepositorysKindConfigHasTheShapeTheRendererMakes()
    {
        // Given the top-level kind-config.yaml (the template documented for people)
        var doc = KindConfig.Parse(File.ReadAllText(KindConfig.TemplatePath));

        // Then it maps the same NodePort the chart values use, on one control-plane node
        doc.Kind.Should().Be("Cluster");
        doc.ApiVersion.Should().Be("kind.x-k8s.io/v1alpha4");
        doc.Nodes.Should().ContainSingle().Which.Role.Should().Be("control-plane");
        doc.Nodes[0].ExtraPortMappings.Should().ContainSingle().Which.ContainerPort.Should().Be(KindConfig.ProxyNodePort);
        doc.Nodes[0].Image.Should().StartWith("kindest/node:");
    }

    [Theory]
    [InlineData("kr-20261124-101010-abcdef", "20261124-101010-abcdef")]
    [InlineData("kind", null)]
    [InlineData("kr-", null)]
    public void ARunIdIsReadBackOnlyFromOurClusters(string cluster, string? runId) =>
        ClusterName.RunIdOf(cluster).Should().Be(runId);

    [Fact]
    public void ARunIdThatCannotNameAClusterIsRefused()
    {
        var act = () => ClusterName.For("Has Spaces");

        act.Should().Throw<HarnessException>();
    }
}
