using KernelRegression.Matrix;

namespace KernelRegression.Kubernetes.Chart;

/// <summary>What one Zero to JupyterHub chart release ships (from its changelog), for the versions the matrix uses.</summary>
public sealed record ChartRelease(string Version, string JupyterHub, string KubeSpawner, string MinKubernetes, string Source);

/// <summary>
/// A matrix cell's hub, in chart terms: which chart, which KubeSpawner, which hub image, which node.
/// When the cell asks for the KubeSpawner the chart already ships, the chart's own hub image is used;
/// otherwise a hub image is built FROM it with that KubeSpawner (fixtures/helm/hub-image/Dockerfile).
/// </summary>
public sealed record ChartSpec(string Chart, string? KubeSpawner, string? NodeImage, ChartRelease? Release)
{
    public const string Repository = "https://hub.jupyter.org/helm-chart/";
    public const string ChartName = "jupyterhub";
    /// <summary>Chart images moved to quay.io with chart 3.0.</summary>
    public const string ChartHubImageName = "quay.io/jupyterhub/k8s-hub";
    public const string BuiltHubImageName = "kr/k8s-hub";

    /// <summary>Chart releases checked against the chart's changelog (docs/source/changelog.md, "Notable dependencies updated").</summary>
    public static IReadOnlyDictionary<string, ChartRelease> Known { get; } = new Dictionary<string, ChartRelease>
    {
        ["3.3.8"] = new("3.3.8", "4.1.6", "6.2.0", "1.23", "z2jh changelog 4.0.0 table, column 'Version in 3.3.8'"),
        ["4.0.0"] = new("4.0.0", "5.2.1", "7.0.0", "1.28", "z2jh changelog 4.0.0: KubeSpawner 6.2.0 -> 7.0.0, JupyterHub 4.1.6 -> 5.2.1, Kubernetes 1.28+"),
        ["4.2.0"] = new("4.2.0", "5.3.0", "7.0.0", "1.28", "z2jh changelog 4.2.0: JupyterHub 5.2.1 -> 5.3.0 (KubeSpawner unchanged since 4.0.0)"),
    };

    public static ChartSpec From(MatrixCell cell)
    {
        if (cell.Tier != "kind")
        {
            throw new HarnessException($"cell {cell.Id} is on the {cell.Tier} tier, not kind", "use a kind/... cell for the Kubernetes tier");
        }
        if (string.IsNullOrWhiteSpace(cell.Hub.Chart))
        {
            throw new HarnessException($"hub '{cell.Hub.Name}' of cell {cell.Id} has no chart version",
                "give the hub a chart: in fixtures/matrix.yaml, e.g. z2jh-4: {chart: 4.2.0, kubespawner: 7.0.0, node_image: kindest/node:v1.32.5}");
        }
        if (string.IsNullOrWhiteSpace(cell.Hub.NodeImage))
        {
            throw new HarnessException($"hub '{cell.Hub.Name}' of cell {cell.Id} has no node_image for kind",
                "give the hub a node_image: a kindest/node tag from the kind release notes, e.g. kindest/node:v1.32.5");
        }
        return new ChartSpec(cell.Hub.Chart!, cell.Hub.KubeSpawner, cell.Hub.NodeImage, Known.GetValueOrDefault(cell.Hub.Chart!));
    }

    public int Major => int.TryParse(Chart.Split('.')[0], out var m) ? m : 0;

    /// <summary>Chart 4 ships JupyterHub 5, where an authenticator allows nobody unless told (allow_all).</summary>
    public bool NeedsAllowAll => Major >= 4;

    /// <summary>The KubeSpawner the hub will run: the requested one, or the chart's own.</summary>
    public string? EffectiveKubeSpawner => KubeSpawner ?? Release?.KubeSpawner;

    /// <summary>A hub image has to be built when a KubeSpawner is asked for that the chart does not ship (or the chart is not in <see cref="Known"/>).</summary>
    public bool NeedsHubImage => KubeSpawner is not null && KubeSpawner != Release?.KubeSpawner;

    public string ChartHubImage => $"{ChartHubImageName}:{Chart}";

    /// <summary>The image the hub pod runs.</summary>
    public string HubImage => NeedsHubImage ? $"{BuiltHubImageName}:{Chart}-kubespawner-{KubeSpawner}" : ChartHubImage;

    /// <summary>One line for reports: chart 4.2.0 (JupyterHub 5.3.0, KubeSpawner 6.2.0 built in) on kindest/node:v1.32.5.</summary>
    public string Describe() =>
        $"chart {Chart} (JupyterHub {Release?.JupyterHub ?? "?"}, KubeSpawner {EffectiveKubeSpawner ?? "?"}{(NeedsHubImage ? " built in" : "")})"
        + (NodeImage is null ? "" : $" on {NodeImage}");
}
