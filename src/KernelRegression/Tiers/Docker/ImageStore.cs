using System.Collections.Concurrent;
using System.Diagnostics;
using KernelRegression.Matrix;
using KernelRegression.Host;

namespace KernelRegression.Tiers.Docker;

/// <summary>One image a run needed, and whether it was built or found in the cache.</summary>
public sealed record ImageBuildRecord(string Tag, bool Built, TimeSpan Duration);

/// <summary>
/// Makes sure the images a run needs exist: bases first, then recipes (a recipe's parent before it), each at most once per
/// process (concurrent cells share the build) and once per machine (a file lock, so two runs do
/// not build the same tag at once). Records what it built and for how long.
/// </summary>
public sealed class ImageStore
{
    private readonly ConcurrentDictionary<string, Lazy<Task<string>>> _builds = new();
    private readonly ConcurrentQueue<ImageBuildRecord> _records = new();
    private readonly ConcurrentDictionary<string, byte> _stepImages = new();

    public static ImageStore Shared { get; } = new();

    /// <summary>Where progress lines go (console by default): what step, how long so far.</summary>
    public Action<string> Progress { get; set; } = line => Console.Error.WriteLine($"[kr images] {line}");

    public IReadOnlyList<ImageBuildRecord> Records => [.. _records];

    /// <summary>The longest one image's build may take: the largest (sid's, 1.4 GB) takes about 6 min alone here.</summary>
    public static TimeSpan BuildLimit { get; } = Deadline.Of(1200);

    public Task<string> SingleUserAsync(ImageSpec image, CancellationToken ct) => image.IsBuilt
        ? EnsureAsync(ImageRecipe.SingleUser(image), ct)
        : ExistingAsync(image.Ref!, ct);

    public Task<string> HubAsync(HubSpec hub, CancellationToken ct) => EnsureAsync(ImageRecipe.Hub(hub), ct);

    public Task<string> NetToolsAsync(CancellationToken ct) => EnsureAsync(ImageRecipe.NetTools(), ct);

    private Task<string> EnsureAsync(ImageRecipe recipe, CancellationToken ct) =>
        _builds.GetOrAdd($"{recipe.Repository}:{recipe.Variant}", _ => new Lazy<Task<string>>(() => BuildAsync(recipe, ct))).Value;

    private async Task<string> BuildAsync(ImageRecipe recipe, CancellationToken ct)
    {
        if (recipe.SharesLayersWith is { } plain)
        {
            await EnsureAsync(plain, ct);
        }
        string from;
        if (recipe.Parent is { } parent)
        {
            from = await EnsureAsync(parent, ct);
        }
        else
        {
            await BaseImage.EnsureAsync(recipe.Suite, Progress, ct);
            from = BaseImage.Tag(recipe.Suite);
        }
        var args = recipe.ArgsFrom(from);
        var tag = recipe.Tag(await DockerCli.ImageIdAsync(from, ct));
        using var machineLock = await MachineLock.AcquireAsync("image-" + tag.Replace('/', '_').Replace(':', '_'), ct);
        var sw = Stopwatch.StartNew();
        if (await DockerCli.ImageExistsAsync(tag, ct))
        {
            _records.Enqueue(new ImageBuildRecord(tag, false, sw.Elapsed));
            return tag;
        }
        Progress($"{tag}: building ({string.Join(' ', args.Where(a => a.Key != "MIRROR").Select(a => $"{a.Key}={a.Value}"))})");
        var step = "";
        var instruction = "";
        var stepImages = new ConcurrentQueue<string>();
        // A build that stalls (a mirror that stops answering mid-download) must end the build phase with its
        // step named, not hold every cell until the test run's own timeout.
        var limit = BuildLimit;
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(ct);
        deadline.CancelAfter(limit);
        try
        {
            await DockerCli.RunAsync(
                // --force-rm: a failed step's container goes too (by default the classic builder keeps it).
                ["build", "--force-rm", "-t", tag, "-f", recipe.Dockerfile, "--label", $"{DockerCli.OwnerLabel}={DockerCli.Owner}",
                 .. args.SelectMany(a => new[] { "--build-arg", $"{a.Key}={a.Value}" }), recipe.ContextDir],
                line =>
                {
                    // " ---> 3f2a…": each step's image. The classic builder builds every stage of a recipe and
                    // keeps the unused stages' results untagged; they are removed after the build phase.
                    if (line.StartsWith(" ---> ", StringComparison.Ordinal) && line.Length >= 18 && line.IndexOf(' ', 6) < 0)
                    {
                        stepImages.Enqueue(line[6..].Trim());
                    }
                    if (line.StartsWith("Step ", StringComparison.Ordinal))
                    {
                        step = line.Split(':')[0];
                        instruction = line.Length > 100 ? line[..100] + "…" : line;
                        Progress($"{tag}: {step} ({sw.Elapsed.TotalSeconds:0} s)");
                    }
                }, deadline.Token,
                // Debian's docker.io has no buildx; the classic builder is what works everywhere.
                env: new Dictionary<string, string?> { ["DOCKER_BUILDKIT"] = "0" },
                what: $"docker build of {tag} from {Path.GetRelativePath(FixturePaths.Root, recipe.Dockerfile)}");
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
            throw new HarnessFaultException($"the docker build of {tag} did not finish within {limit.TotalMinutes:0} min; it was at {instruction}",
                $"check that the Debian mirror answers ({ImageRecipe.Mirror}, KR_DEBIAN_MIRROR) and run again: the steps already built are cached");
        }
        finally
        {
            // Only a finished build's step images are for a sweep to judge: while a build runs, the tip of a
            // stage it built is untagged and childless until a later stage starts FROM it.
            foreach (var id in stepImages)
            {
                _stepImages.TryAdd(id, 0);
            }
        }
        _records.Enqueue(new ImageBuildRecord(tag, true, sw.Elapsed));
        Progress($"{tag}: built in {sw.Elapsed.TotalSeconds:0} s");
        return tag;
    }

    /// <summary>
    /// Removes the untagged images this store's finished builds left (the classic builder keeps every
    /// stage's result): the step images seen that Docker calls dangling (no tag, no child). A tagged image,
    /// or the parent of one, is never touched. What Docker would not remove stays listed for the next sweep
    /// (the tier's end sweeps again), and the refusal is said in the progress.
    /// </summary>
    public async Task RemoveBuildLeftoversAsync(CancellationToken ct)
    {
        var seen = _stepImages.Keys.ToList(); // finished builds' images, all made before the listing below
        var dangling = await DanglingAsync(ct);
        foreach (var kept in seen.Where(id => !dangling.Contains(id)))
        {
            _stepImages.TryRemove(kept, out _); // tagged, or the parent of an image: not a leftover
        }
        var ids = seen.Where(dangling.Contains).ToList();
        var refused = "";
        foreach (var chunk in ids.Chunk(50))
        {
            var r = await CliWrap.Buffered.BufferedCommandExtensions.ExecuteBufferedAsync(
                CliWrap.Cli.Wrap("docker").WithArguments(["rmi", .. chunk]).WithValidation(CliWrap.CommandResultValidation.None), ct);
            refused += r.StandardError;
        }
        var left = await DanglingAsync(ct);
        foreach (var gone in ids.Where(id => !left.Contains(id)))
        {
            _stepImages.TryRemove(gone, out _);
        }
        if (!_stepImages.IsEmpty)
        {
            Progress($"{_stepImages.Count} untagged build leftover(s) not removed yet ({string.Join(' ', _stepImages.Keys)}): {refused.Trim().Split('\n')[0]}");
        }
    }

    private static async Task<HashSet<string>> DanglingAsync(CancellationToken ct) =>
        [.. await DockerCli.IdsAsync(["images", "-q", "--filter", "dangling=true"], ct)];

    private static async Task<string> ExistingAsync(string reference, CancellationToken ct)
    {
        if (await DockerCli.ImageExistsAsync(reference, ct))
        {
            return reference;
        }
        try
        {
            await DockerCli.RunAsync(["pull", reference], _ => { }, ct, what: $"docker pull {reference}");
            return reference;
        }
        catch (ActionableException e)
        {
            throw new HarnessFaultException($"image {reference} is not on this machine and could not be pulled: {e.What.Split('\n').LastOrDefault()}",
                $"check the name and tag, load it with `docker load`, or build it: docker image ls | grep {reference.Split(':')[0]}");
        }
    }
}
