using System.Security.Cryptography;
using System.Text;
using KernelRegression.Matrix;

namespace KernelRegression.Images;

/// <summary>
/// A Dockerfile under fixtures/images with its build args and context. Its tag carries a hash of
/// everything that goes into the build (Dockerfile, context files, args, the base image's id), so an
/// unchanged recipe is never rebuilt and a changed one always is.
/// </summary>
public sealed record ImageRecipe(string Repository, string Variant, string ContextDir, string Dockerfile, IReadOnlyDictionary<string, string> Args, IReadOnlyList<string> HashedFiles)
{
    public static string Mirror { get; } = ReadMirror();

    /// <summary>The front ends the single-user recipe can give an image (its FRONTEND build arg).</summary>
    public static readonly string[] Frontends = ["as-installed", "notebook7", "lab", "broken"];

    public static ImageRecipe SingleUser(ImageSpec image)
    {
        if (!Frontends.Contains(image.Frontend))
        {
            throw new HarnessException($"image {image.Name}: unknown front end '{image.Frontend}'", $"use one of: {string.Join(", ", Frontends)}");
        }
        var dir = FixturePaths.Of("images", "singleuser");
        var frontend = image.Frontend == "as-installed" ? null : "frontend-" + image.Frontend;
        var variant = string.Join('-', new[] { image.Suite!, image.Stack, image.Init == "none" ? null : image.Init, image.KernelPatch == "none" ? null : image.KernelPatch, frontend }.Where(p => p is not null));
        var args = new Dictionary<string, string>
        {
            ["BASE"] = BaseImage.Tag(image.Suite!), ["MIRROR"] = Mirror, ["STACK"] = image.Stack,
            ["INIT"] = image.Init, ["KERNEL_PATCH"] = image.KernelPatch,
        };
        if (frontend is not null)
        {
            // Only then: the images without a front-end variant keep the tags (and caches) they had.
            args["FRONTEND"] = image.Frontend;
        }
        var plain = image with { Init = "none", KernelPatch = "none", Frontend = "as-installed" };
        return new ImageRecipe("kr/singleuser", variant, dir, Path.Combine(dir, "Dockerfile"), args,
            Directory.EnumerateFiles(dir, "*", SearchOption.AllDirectories).Order(StringComparer.Ordinal).ToList())
        {
            SharesLayersWith = plain == image ? null : SingleUser(plain),
        };
    }

    /// <summary>
    /// The hub of a suite, built on that suite's default single-user image: Debian's jupyterhub brings its
    /// proxy and nodejs along, so the single-user image's package layer is most of a hub's, and the hub
    /// adds a few packages in seconds instead of installing the stack a second time (minutes, cold).
    /// </summary>
    public static ImageRecipe Hub(HubSpec hub)
    {
        if (hub.Suite == "bullseye")
        {
            throw new HarnessException("hub bullseye: bullseye has no jupyterhub package, so there is no hub image for it",
                "use a bookworm, trixie or sid hub with a bullseye single-user image");
        }
        var context = FixturePaths.Root;
        var dockerfile = FixturePaths.Of("images", "hub", "Dockerfile");
        return new ImageRecipe("kr/hub", hub.Suite, context, dockerfile, new Dictionary<string, string>(),
            [dockerfile, FixturePaths.Of("hub", "jupyterhub_config.py"), FixturePaths.Of("hub", "kr_container_spawner.py")])
        {
            Parent = SingleUser(new ImageSpec(hub.Suite, hub.Suite, "default", "none", "none", null)),
        };
    }

    /// <summary>iptables in a container, run inside a server's network namespace to cut it off from the hub.</summary>
    public static ImageRecipe NetTools()
    {
        var dir = FixturePaths.Of("images", "nettools");
        var dockerfile = Path.Combine(dir, "Dockerfile");
        return new ImageRecipe("kr/nettools", "trixie", dir, dockerfile,
            new Dictionary<string, string> { ["BASE"] = BaseImage.Tag("trixie"), ["MIRROR"] = Mirror }, [dockerfile]);
    }

    /// <summary>The recipe whose image this one is built FROM (passed as its BASE); none: kr/debian:SUITE.</summary>
    public ImageRecipe? Parent { get; init; }

    /// <summary>
    /// The plain image of a variant (an init, a kernel patch, a front end): the Dockerfile declares those
    /// args after the package layers, so the two share them, but only if the plain one is built first. Two
    /// builds started together both install the packages (sid's took 544 and 397 s side by side).
    /// </summary>
    public ImageRecipe? SharesLayersWith { get; init; }

    public string Suite => Parent?.Suite ?? Args["BASE"].Split(':')[1];

    /// <summary>The build args with BASE: the parent's image when there is one, else the recipe's own.</summary>
    public IReadOnlyDictionary<string, string> ArgsFrom(string baseImage) =>
        Parent is null ? Args : new Dictionary<string, string>(Args) { ["BASE"] = baseImage };

    /// <summary>The content hash: recipe files (path + bytes), args, and the base (or parent) image's id.</summary>
    public string Hash(string baseImageId)
    {
        using var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        foreach (var f in HashedFiles)
        {
            sha.AppendData(Encoding.UTF8.GetBytes(Path.GetRelativePath(ContextDir, f) + "\0"));
            sha.AppendData(File.ReadAllBytes(f));
        }
        foreach (var (k, v) in Args.OrderBy(a => a.Key, StringComparer.Ordinal))
        {
            sha.AppendData(Encoding.UTF8.GetBytes($"{k}={v}\0"));
        }
        sha.AppendData(Encoding.UTF8.GetBytes(baseImageId));
        return Convert.ToHexStringLower(sha.GetHashAndReset())[..12];
    }

    public string Tag(string baseImageId) => $"{Repository}:{Variant}-{Hash(baseImageId)}";

    private static string ReadMirror()
    {
        const string sources = "/etc/apt/sources.list.d/debian.sources";
        var fromEnv = Settings.DebianMirror;
        if (!string.IsNullOrEmpty(fromEnv))
        {
            return fromEnv;
        }
        var uri = File.Exists(sources)
            ? File.ReadLines(sources).FirstOrDefault(l => l.StartsWith("URIs:", StringComparison.Ordinal))?[5..].Trim()
            : null;
        return uri ?? "http://deb.debian.org/debian";
    }
}
