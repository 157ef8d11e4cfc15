namespace KernelRegression.Deployments;

/// <summary>
/// The image a cell runs: the reference the values name, and what it runs here. A target is a
/// Docker reference the engine has (name:tag) or a suite image by its matrix name (`bookworm`,
/// `bookworm-pre-pr233`: built here from fixtures/images, tagged by content hash).
/// </summary>
public sealed record ImageChoice(string FromValues, string Target, bool IsSuiteImage, string? Rule)
{
    public override string ToString() => Target == FromValues ? Target : $"{FromValues} → {Target}{(IsSuiteImage ? " (suite image)" : "")}";
}

/// <summary>
/// Makes images that are not on this machine available: `--image REF` (every cell) and
/// `--image-map FROM=TO` (repeatable): FROM is an exact reference (an untagged name means :latest)
/// or `name:*` for any tag or digest of that name. The first exact rule wins, then the first pattern.
/// </summary>
public sealed class ImageMap
{
    private readonly List<(string From, string To, string Rule)> _exact = [];
    private readonly List<(string Name, string To, string Rule)> _anyTag = [];
    private readonly string? _every;
    private readonly IReadOnlySet<string>? _suiteImages;

    public static ImageMap None { get; } = new(null, null);

    private ImageMap(string? every, IReadOnlySet<string>? suiteImages)
    {
        _every = every;
        _suiteImages = suiteImages;
    }

    /// <param name="rules">FROM=TO entries, as given to --image-map.</param>
    /// <param name="every">--image: this image for every cell (and every init container of the cell's image).</param>
    /// <param name="suiteImages">The matrix's image names a target may name; null accepts any bare name.</param>
    public static ImageMap Parse(IEnumerable<string> rules, string? every = null, IReadOnlySet<string>? suiteImages = null)
    {
        var map = new ImageMap(string.IsNullOrWhiteSpace(every) ? null : every.Trim(), suiteImages);
        if (map._every is not null)
        {
            map.CheckTarget(map._every, "--image");
        }
        foreach (var rule in rules)
        {
            var eq = rule.IndexOf('=', StringComparison.Ordinal);
            if (eq <= 0 || eq == rule.Length - 1)
            {
                throw new HarnessException($"--image-map '{rule}' is not FROM=TO",
                    "e.g. --image-map 'example.org/course/notebook:*=bookworm' (any tag of that name runs the suite's bookworm image) or --image-map old:1=new:2");
            }
            var (from, to) = (rule[..eq].Trim(), rule[(eq + 1)..].Trim());
            map.CheckTarget(to, $"--image-map '{rule}'");
            if (from.EndsWith(":*", StringComparison.Ordinal))
            {
                map._anyTag.Add((from[..^2], to, rule));
            }
            else if (from.Contains('*', StringComparison.Ordinal))
            {
                throw new HarnessException($"--image-map '{rule}': only a whole tag may be '*' (name:*)", "write the image name exactly, then :* for any tag");
            }
            else
            {
                map._exact.Add((Normalize(from), to, rule));
            }
        }
        return map;
    }

    private void CheckTarget(string target, string option)
    {
        if (IsSuiteName(target) && _suiteImages is not null && !_suiteImages.Contains(target))
        {
            throw new HarnessException(
                $"{option}: '{target}' is neither a Docker reference (name:tag) nor a suite image (declared: {string.Join(", ", _suiteImages.Order(StringComparer.Ordinal))})",
                "name a suite image from fixtures/matrix.yaml, or an image the engine has with its tag (docker images)");
        }
    }

    private static bool IsSuiteName(string target) => target.IndexOfAny([':', '/', '@']) < 0;

    /// <summary>What a reference from the values runs as here (unchanged when no rule matches).</summary>
    public ImageChoice Resolve(string reference)
    {
        if (_every is not null)
        {
            return new ImageChoice(reference, _every, IsSuiteName(_every), "--image " + _every);
        }
        var normalized = Normalize(reference);
        foreach (var (from, to, rule) in _exact)
        {
            if (from == normalized)
            {
                return new ImageChoice(reference, to, IsSuiteName(to), rule);
            }
        }
        var name = NameOf(reference);
        foreach (var (n, to, rule) in _anyTag)
        {
            if (n == name)
            {
                return new ImageChoice(reference, to, IsSuiteName(to), rule);
            }
        }
        return new ImageChoice(reference, reference, false, null);
    }

    /// <summary>The repository part: before a digest, and before a tag (a ':' after the last '/': a registry port is not a tag).</summary>
    internal static string NameOf(string reference)
    {
        var at = reference.IndexOf('@', StringComparison.Ordinal);
        var r = at >= 0 ? reference[..at] : reference;
        var colon = r.LastIndexOf(':');
        return colon > r.LastIndexOf('/') ? r[..colon] : r;
    }

    private static string Normalize(string reference) =>
        reference.Contains('@', StringComparison.Ordinal) || NameOf(reference) != reference ? reference : reference + ":latest";
}
