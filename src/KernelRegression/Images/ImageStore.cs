using System.Collections.Concurrent;
using System.Diagnostics;
using KernelRegression.Matrix;
using KernelRegression.Host;
using KernelRegression.Docker;

namespace KernelRegression.Images;

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

    public static ImageStore Shared { get; } = new();

    /// <summary>Where progress lines go (console by default): what step, how long so far.</summary>
    public Action<string> Progress { get; set; } = line => Console.Error.WriteLine($"[kr images] {line}");

    public IReadOnlyList<ImageBuildRecord> Records => [.. _records];

    /// <summary>The longest one image's build may take: the largest (sid's single-user image, 1.4 GB) takes about 9 min alone here.</summary>
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
        var tag = recipe.Tag(await DockerEngine.ImageIdAsync(from, ct) ?? throw new HarnessFaultException($"{from}, the base of {recipe.Repository}:{recipe.Variant}, is gone", "run again: it is built first"));
        using var machineLock = await MachineLock.AcquireAsync("image-" + tag.Replace('/', '_').Replace(':', '_'), ct);
        var sw = Stopwatch.StartNew();
        if (await DockerEngine.ImageExistsAsync(tag, ct))
        {
            _records.Enqueue(new ImageBuildRecord(tag, false, sw.Elapsed));
            return tag;
        }
        Progress($"{tag}: building ({string.Join(' ', args.Where(a => a.Key != "MIRROR").Select(a => $"{a.Key}={a.Value}"))})");
        using var context = BuildContext.Of(recipe.ContextDir);
        // A build that stalls (a mirror that stops answering mid-download) must end the build phase with its
        // step named, not hold every cell until the test run's own timeout.
        await ImageBuild.RunAsync(tag, context, Path.GetRelativePath(recipe.ContextDir, recipe.Dockerfile).Replace(Path.DirectorySeparatorChar, '/'), args,
            $"docker build of {tag} from {Path.GetRelativePath(FixturePaths.Root, recipe.Dockerfile)}", BuildLimit,
            $"check that the Debian mirror answers ({ImageRecipe.Mirror}, KR_DEBIAN_MIRROR) and run again: the steps already built are cached",
            step => Progress($"{tag}: {Instruction(step)} ({sw.Elapsed.TotalSeconds:0} s)"), ct);
        _records.Enqueue(new ImageBuildRecord(tag, true, sw.Elapsed));
        Progress($"{tag}: built in {sw.Elapsed.TotalSeconds:0} s");
        return tag;
    }

    /// <summary>A step's place and instruction: "[packages 3/7] RUN set -eu; …" is "[packages 3/7] RUN".</summary>
    internal static string Instruction(string step)
    {
        var end = step.IndexOf("] ", StringComparison.Ordinal);
        var space = end < 0 ? -1 : step.IndexOf(' ', end + 2);
        return space < 0 ? step : step[..space];
    }

    private static async Task<string> ExistingAsync(string reference, CancellationToken ct)
    {
        if (await DockerEngine.ImageExistsAsync(reference, ct))
        {
            return reference;
        }
        try
        {
            await DockerEngine.PullAsync(reference, ct);
            return reference;
        }
        catch (ActionableException e)
        {
            throw new HarnessFaultException($"image {reference} is not on this machine and could not be pulled: {e.What.Split('\n').LastOrDefault()}",
                $"check the name and tag, load it with `docker load`, or build it: docker image ls | grep {reference.Split(':')[0]}");
        }
    }
}
