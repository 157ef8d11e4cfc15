using KernelRegression.Deployments;
using KernelRegression.Matrix;

namespace KernelRegression.Cli;

/// <summary>The options that make an operator's Zero to JupyterHub values the input: shared by run, check-change and bisect.</summary>
public class DeploymentSettings : MatrixSettings
{
    [CommandOption("--values <FILE>")]
    [Description("a z2jh values file; repeat to merge as helm does (later files win); or KR_VALUES, comma-separated")]
    public string[] Values { get; init; } = Split(Settings.Values);

    [CommandOption("--values-key <KEY>")]
    [Description("where the z2jh section is, as a dotted path (default: found at the top or under an umbrella chart's jupyterhub: key); or KR_VALUES_KEY")]
    public string? ValuesKey { get; init; } = Settings.ValuesKey;

    [CommandOption("--image <REF>")]
    [Description("with --values: run every cell on this image (a matrix image name or name:tag)")]
    public string? Image { get; init; }

    [CommandOption("--image-map <FROM=TO>")]
    [Description("with --values: an image the values name, exact or name:*, mapped to a matrix image or a ref on this machine; repeatable; or KR_IMAGE_MAP, comma-separated")]
    public string[] ImageMap { get; init; } = Split(Settings.ImageMap);

    [CommandOption("--chart <VERSION>")]
    [Description("with --values: the Zero to JupyterHub chart version whose defaults, values schema and KubeSpawner apply: 4.2.0 (default, KubeSpawner 7.0.0) or 3.3.8 (KubeSpawner 6.2.0)")]
    public string? Chart { get; init; }

    [CommandOption("--chart-values <KEY=FILE>")]
    [Description("with --values: a parent (umbrella) chart's own values.yaml, layered under KEY before the values files, e.g. basehub=helm-charts/basehub/values.yaml; repeatable, in helm's order")]
    public string[] ChartValues { get; init; } = [];

    [CommandOption("--kubespawner <VERSION>")]
    [Description("with --values: whose KubeSpawner behaviour to apply when not the chart's: 6.2.0 (chooses chart 3.3.8), 7.0.0, or pre-pr38 (cmd became the pod's command, the 2017 incident)")]
    public string? KubeSpawner { get; init; }

    [CommandOption("--volume-files <NAME=DIR>")]
    [Description("with --values: the files of a configMap or secret volume the values mount; repeatable; or KR_VOLUME_FILES")]
    public string[] VolumeFiles { get; init; } = Split(Settings.VolumeFiles);

    [CommandOption("--hub <NAMES>")]
    [Description("with --values: the matrix hubs the cells run on, comma-separated (default trixie)")]
    public string? Hubs { get; init; }

    public bool HasValues => Values.Length > 0;

    /// <summary>The values options, images resolved against the matrix's images.</summary>
    public ValuesOptions Options(MatrixFile matrix, string? label = null)
    {
        var (chart, kubeSpawner) = ValuesOptions.ChartAndKubeSpawner(Chart, KubeSpawner);
        var options = new ValuesOptions
        {
            ValuesKey = ValuesKey,
            Images = Deployments.ImageMap.Parse(ImageMap, Image, matrix.Document.Images.Keys.ToHashSet()),
            Chart = chart,
            ChartValues = ValuesOptions.ParseChartValues(ChartValues),
            VolumeFiles = ValuesOptions.ParseVolumeFiles(VolumeFiles),
            Label = label,
        };
        return kubeSpawner is null ? options : options with { KubeSpawner = kubeSpawner };
    }

    public IReadOnlyList<string> HubNames(string fallback = "trixie") =>
        (Hubs ?? fallback).Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    private static string[] Split(string? list) => list?.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries) ?? [];
}
