namespace KernelRegression.Deployments;

/// <summary>How to read the operator's values: where the z2jh section is, what images run, which chart and KubeSpawner behave.</summary>
public sealed record ValuesOptions
{
    /// <summary>--values-key a.b: the dotted path of the z2jh section (null: detect).</summary>
    public string? ValuesKey { get; init; }
    public ImageMap Images { get; init; } = ImageMap.None;
    public KubeSpawnerVersion KubeSpawner { get; init; } = KubeSpawnerVersion.Default;
    /// <summary>The z2jh chart version whose schema and defaults apply (3.3.8 or 4.2.0).</summary>
    public string Chart { get; init; } = "4.2.0";
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
