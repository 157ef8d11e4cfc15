using KernelRegression.Kubernetes.Commands;
using KernelRegression.Docker;

namespace KernelRegression.Kubernetes.Chart;

/// <summary>The helm and docker command lines that install the chart and build its hub image.</summary>
public static class HelmCommands
{
    public const string Release = "kr";

    /// <summary>
    /// Installs (or upgrades) the chart straight from its repository URL, no `helm repo add` (no state in
    /// ~/.config/helm). No --wait: the run waits itself, so a failure comes with pod evidence.
    /// </summary>
    public static CommandLine Install(ChartSpec chart, string ns, string kubeconfig, string valuesFile) =>
        CommandLine.Of("helm", "upgrade", "--install", Release, ChartSpec.ChartName,
            "--repo", ChartSpec.Repository, "--version", chart.Chart,
            "--namespace", ns, "--create-namespace",
            "--kubeconfig", kubeconfig, "--values", valuesFile, "--timeout", "10m");

    /// <summary>Builds the hub image with the cell's KubeSpawner on the chart's own hub image.</summary>
    public static CommandLine BuildHubImage(ChartSpec chart) =>
        CommandLine.Of("docker", "build", "-t", chart.HubImage,
            "--build-arg", $"CHART_VERSION={chart.Chart}", "--build-arg", $"KUBESPAWNER_VERSION={chart.KubeSpawner}",
            "--label", $"org.kernelregression.owner={KernelRegression.Docker.DockerEngine.Owner}",
            FixturePaths.Of("helm", "hub-image"));
}
