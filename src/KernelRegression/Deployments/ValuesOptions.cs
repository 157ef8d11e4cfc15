namespace KernelRegression.Deployments;

/// <summary>How to read the operator's values: where the z2jh section is, what images run, which chart and KubeSpawner behave.</summary>
public sealed record ValuesOptions
{
    /// <summary>--values-key a.b: the dotted path of the z2jh section (null: detect).</summary>
    public string? ValuesKey { get; init; }
    public ImageMap Images { get; init; } = ImageMap.None;
    private readonly KubeSpawnerVersion? _kubeSpawner;

    /// <summary>Whose behaviour the translation follows: given, or the KubeSpawner the chart version pins.</summary>
    public KubeSpawnerVersion KubeSpawner
    {
        get => _kubeSpawner ?? KubeSpawnerVersion.PinnedBy(Chart);
        init => _kubeSpawner = value;
    }

    /// <summary>The z2jh chart version whose schema and defaults apply (3.3.8 or 4.2.0), and whose KubeSpawner unless one is given.</summary>
    public string Chart { get; init; } = "4.2.0";
    /// <summary>
    /// A parent chart's own values files, each under the key its chart sits at (an umbrella chart's
    /// dependency name, e.g. basehub; "" = the top): layered before the values files, as helm layers a
    /// subchart's defaults, its parent's values and the user's.
    /// </summary>
    public IReadOnlyList<(string Key, string Path)> ChartValues { get; init; } = [];
    /// <summary>--volume-files NAME=DIR: the files of a configMap/secret volume, by volume name.</summary>
    public IReadOnlyDictionary<string, string> VolumeFiles { get; init; } = new Dictionary<string, string>();
    /// <summary>
    /// The same files already read, by volume name (relative path → content): what a revision of the
    /// repository holds (<see cref="GitValuesHistory.LoadAsync"/>). Wins over <see cref="VolumeFiles"/>.
    /// </summary>
    public IReadOnlyDictionary<string, IReadOnlyDictionary<string, string>> VolumeFileContents { get; init; } =
        new Dictionary<string, IReadOnlyDictionary<string, string>>();
    /// <summary>The cell ids' first part, values-LABEL (default: the last values file's name).</summary>
    public string? Label { get; init; }
    /// <summary>A profile whose option choices combine into more cells than this runs its default choices only.</summary>
    public int MaxChoicesPerProfile { get; init; } = 8;

    /// <summary>
    /// The chart and KubeSpawner of --chart and --kubespawner: a chart pins its KubeSpawner (3.3.8: 6.2.0,
    /// 4.2.0: 7.0.0), a KubeSpawner release alone chooses the chart that pins it; pre-pr38 goes with any.
    /// </summary>
    public static (string Chart, KubeSpawnerVersion? KubeSpawner) ChartAndKubeSpawner(string? chart, string? kubeSpawner)
    {
        var ks = string.IsNullOrWhiteSpace(kubeSpawner) ? null : KubeSpawnerVersion.Parse(kubeSpawner);
        var pinning = ks is null || ks.Major == 0 ? null : Z2jhChart.Versions.FirstOrDefault(c => KubeSpawnerVersion.PinnedBy(c).Name == ks.Name);
        if (string.IsNullOrWhiteSpace(chart))
        {
            return (pinning ?? "4.2.0", ks);
        }
        var c = Z2jhChart.Of(chart.Trim()).Version;
        if (ks is { Major: > 0 } && ks.Name != KubeSpawnerVersion.PinnedBy(c).Name)
        {
            throw new HarnessException($"--chart {c} runs KubeSpawner {KubeSpawnerVersion.PinnedBy(c).Name} (images/hub/requirements.txt of the chart), not --kubespawner {ks.Name}",
                pinning is null ? $"leave out --kubespawner, or use --kubespawner pre-pr38 for the 2017 behaviour" : $"use --chart {pinning} for KubeSpawner {ks.Name}, or leave out --kubespawner");
        }
        return (c, ks);
    }

    /// <summary>KEY=FILE entries (--chart-values): the parent chart's values file and the key its values sit under.</summary>
    public static IReadOnlyList<(string Key, string Path)> ParseChartValues(IEnumerable<string> entries) =>
        [.. entries.Select(entry =>
        {
            var eq = entry.IndexOf('=', StringComparison.Ordinal);
            var (key, path) = eq < 0 ? ("", entry) : (entry[..eq].Trim(), entry[(eq + 1)..].Trim());
            if (path.Length == 0 || !File.Exists(path))
            {
                throw new HarnessException($"--chart-values '{entry}': {(path.Length == 0 ? "no file" : path + " does not exist")}",
                    "give KEY=FILE: a parent chart's values.yaml and the key its values sit under in yours, e.g. --chart-values basehub=helm-charts/basehub/values.yaml");
            }
            return (key, Path.GetFullPath(path));
        })];

    /// <summary>NAME=DIR entries (--volume-files), directories made absolute.</summary>
    public static IReadOnlyDictionary<string, string> ParseVolumeFiles(IEnumerable<string> entries)
    {
        var map = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var entry in entries)
        {
            var eq = entry.IndexOf('=', StringComparison.Ordinal);
            if (eq <= 0 || eq == entry.Length - 1)
            {
                throw new HarnessException($"--volume-files '{entry}' is not NAME=DIR", "e.g. --volume-files course-data=deploy/configmaps/course-data (the volume's name in the values, a folder with one file per key)");
            }
            var dir = Path.GetFullPath(entry[(eq + 1)..]);
            if (!Directory.Exists(dir))
            {
                throw new HarnessException($"--volume-files '{entry}': {dir} is not a directory", "give a folder with one file per key of the configMap or secret");
            }
            map[entry[..eq]] = dir;
        }
        return map;
    }
}
