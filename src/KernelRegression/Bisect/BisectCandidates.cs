using KernelRegression.Matrix;

namespace KernelRegression.Bisect;

/// <summary>
/// Turns a request's values into candidates, before anything runs: every value must name something
/// that exists (a declared hub or image, a profile file, a commit), and the ends must be among them.
/// A mistake is an error naming the value and what would be accepted.
/// </summary>
public static class BisectCandidates
{
    public static async Task<(IReadOnlyList<BisectCandidate> Candidates, int Good, int Bad)> ResolveAsync(
        MatrixFile matrix, BisectRequest request, string workDir, CancellationToken ct)
    {
        var values = request.Axis == BisectAxis.Profile ? ExpandFolders(request.Values) : request.Values;
        if (request.Axis == BisectAxis.Commit)
        {
            throw new HarnessException("the commits axis is bisected by kr bisect commits (--repo, --good, --bad, --values), not from candidates",
                "run kr bisect commits --repo DIR --good REV --bad REV --values PATH");
        }
        if (values.Count < 2)
        {
            throw new HarnessException($"bisect needs at least 2 ordered {Axis(request.Axis)} values, got {values.Count}{(values.Count == 1 ? $" ('{values[0]}')" : "")}",
                "list the values in order, the known-good one first and the bad one last");
        }
        var hub = request.Axis == BisectAxis.Hub ? null : DockerHubSpec(matrix, request.Hub);
        var image = request.Axis == BisectAxis.Image ? null : matrix.Image(request.Image);
        var profile = request.Axis is BisectAxis.Profile ? null : ResolveProfile(request.Profile, "--profile");
        var candidates = new List<BisectCandidate>();
        foreach (var (v, i) in values.Select((v, i) => (v, i)))
        {
            var where = $"value {i + 1} of the {Axis(request.Axis)} axis";
            candidates.Add(request.Axis switch
            {
                BisectAxis.Image => new BisectCandidate(v, hub!, ResolveImage(matrix, v, where), profile!),
                BisectAxis.Hub => new BisectCandidate(v, DockerHubSpec(matrix, v, where), image!, profile!),
                _ => new BisectCandidate(v, hub!, image!, ResolveProfile(v, where)),
            });
        }
        var dup = candidates.GroupBy(c => c.Value).FirstOrDefault(g => g.Count() > 1);
        if (dup is not null)
        {
            throw new HarnessException($"'{dup.Key}' appears {dup.Count()} times among the {Axis(request.Axis)} values", "list each value once, in order");
        }
        var good = request.Good is null ? 0 : IndexOf(candidates, request.Good, "--good");
        var bad = request.Bad is null ? candidates.Count - 1 : IndexOf(candidates, request.Bad, "--bad");
        if (good >= bad)
        {
            throw new HarnessException(
                $"--good '{candidates[good].Value}' (position {good + 1}) comes {(good == bad ? "at the same place as" : "after")} --bad '{candidates[bad].Value}' (position {bad + 1}): good and bad swapped?",
                "values are ordered oldest first; the good end must come before the bad end");
        }
        return (candidates, good, bad);
    }

    private static string Axis(BisectAxis axis) => axis.ToString().ToLowerInvariant();

    /// <summary>A folder among the profile values stands for its *.yaml files, sorted by name.</summary>
    private static List<string> ExpandFolders(IReadOnlyList<string> values) =>
        values.SelectMany(v =>
        {
            var dir = Directory.Exists(v) ? v : Directory.Exists(FixturePaths.Of("profiles", v)) ? FixturePaths.Of("profiles", v) : null;
            return dir is null ? [v] : Directory.EnumerateFiles(dir, "*.yaml").Order(StringComparer.Ordinal).ToList();
        }).ToList();

    private static LaunchProfile ResolveProfile(string value, string where)
    {
        if (!File.Exists(value) && !File.Exists(FixturePaths.Of("profiles", value + ".yaml")))
        {
            throw new HarnessException($"unknown launch profile '{value}' ({where}): neither a built-in name nor a file",
                $"use a built-in name ({string.Join(", ", LaunchProfile.BuiltIn())}, or history/NN-… under fixtures/profiles), a path to a YAML file, or a folder of them");
        }
        return LaunchProfile.Resolve(value);
    }

    private static ImageSpec ResolveImage(MatrixFile matrix, string value, string where)
    {
        if (matrix.Document.Images.ContainsKey(value))
        {
            return matrix.Image(value);
        }
        if (value.Contains(':', StringComparison.Ordinal) || value.Contains('/', StringComparison.Ordinal))
        {
            return new ImageSpec(value, null, "default", "none", "none", value);
        }
        throw new HarnessException($"unknown image '{value}' ({where}): not declared in {matrix.Path} (declared: {string.Join(", ", matrix.Document.Images.Keys)})",
            "use a declared image name, or an image reference with a tag (name:tag) that `docker images` lists");
    }

    private static HubSpec DockerHubSpec(MatrixFile matrix, string value, string where = "--hub")
    {
        if (!matrix.Document.Hubs.TryGetValue(value, out var doc))
        {
            throw new HarnessException($"unknown hub '{value}' ({where}): not declared in {matrix.Path} (declared: {string.Join(", ", matrix.Document.Hubs.Keys)})",
                "use a declared hub name");
        }
        if (string.IsNullOrEmpty(doc.Suite))
        {
            throw new HarnessException($"hub '{value}' ({where}) is a Kubernetes hub (chart {doc.Chart}); bisect runs on the docker tier",
                $"use a docker hub: {string.Join(", ", matrix.Document.Hubs.Where(h => !string.IsNullOrEmpty(h.Value.Suite)).Select(h => h.Key))}");
        }
        return matrix.Hub(value);
    }

    private static int IndexOf(List<BisectCandidate> candidates, string value, string option)
    {
        var i = candidates.FindIndex(c => c.Value == value || false
            || (File.Exists(value) && File.Exists(c.Value) && Path.GetFullPath(value) == Path.GetFullPath(c.Value))
            || Path.GetFileNameWithoutExtension(c.Value) == value);
        return i >= 0 ? i : throw new HarnessException(
            $"unknown {option} value '{value}': not among the {candidates.Count} values ({string.Join(", ", candidates.Select(c => c.Value))})",
            $"pass {option} one of the listed values (default: {(option == "--good" ? "the first" : "the last")})");
    }
}
