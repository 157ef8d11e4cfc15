using KernelRegression.Kubernetes.Chart;

namespace KernelRegression.Kubernetes.Tests.Chart;

public sealed class ChartSpecTests
{
    [Theory]
    [InlineData("z2jh-3", "3.3.8", "6.2.0", "4.1.6", false, "quay.io/jupyterhub/k8s-hub:3.3.8", "kindest/node:v1.30.13")]
    [InlineData("z2jh-4", "4.2.0", "7.0.0", "5.3.0", false, "quay.io/jupyterhub/k8s-hub:4.2.0", "kindest/node:v1.32.5")]
    [InlineData("z2jh-4-ks6", "4.2.0", "6.2.0", "5.3.0", true, "kr/k8s-hub:4.2.0-kubespawner-6.2.0", "kindest/node:v1.32.5")]
    public void AMatrixCellMapsToChartKubeSpawnerHubImageAndNode(string hub, string chart, string kubespawner, string jupyterhub, bool built, string hubImage, string nodeImage)
    {
        // Given a kind cell of the repository's matrix
        var cell = Cells.Kind(hub);

        // When it is read as a chart
        var spec = ChartSpec.From(cell);

        // Then every version comes from the matrix, and the hub image is built only when KubeSpawner differs from the chart's
        spec.Chart.Should().Be(chart);
        spec.EffectiveKubeSpawner.Should().Be(kubespawner);
        spec.Release!.JupyterHub.Should().Be(jupyterhub);
        spec.NeedsHubImage.Should().Be(built);
        spec.HubImage.Should().Be(hubImage);
        spec.NodeImage.Should().StartWith(nodeImage);
    }

    [Fact]
    public void ChartFourNeedsAllowAllAndChartThreeDoesNot()
    {
        ChartSpec.From(Cells.Kind("z2jh-4")).NeedsAllowAll.Should().BeTrue();
        ChartSpec.From(Cells.Kind("z2jh-3")).NeedsAllowAll.Should().BeFalse();
    }

    [Fact]
    public void ADockerCellIsRefusedWithTheFix()
    {
        var act = () => ChartSpec.From(Cells.Matrix.Cell("docker", "trixie", "sid", "default"));

        act.Should().Throw<HarnessException>().Which.What.Should().Contain("not kind");
    }

    [Fact]
    public void AHubWithoutAChartIsRefusedNamingTheMatrixKey()
    {
        var act = () => ChartSpec.From(Cells.Matrix.Cell("kind", "trixie", "sid", "default"));

        act.Should().Throw<HarnessException>().Which.Fix.Should().Contain("chart:");
    }
}
