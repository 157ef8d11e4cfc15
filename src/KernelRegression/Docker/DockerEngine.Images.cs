using Docker.DotNet;
using Docker.DotNet.Models;

namespace KernelRegression.Docker;

/// <summary>Images: their ids, pulls, tags and imports, and the start of a build (what a build is: Images/ImageBuild).</summary>
public static partial class DockerEngine
{
    /// <summary>The image's id (sha256:…), or null when the engine has no image of that name.</summary>
    public static Task<string?> ImageIdAsync(string reference, CancellationToken ct) =>
        CallAsync<string?>($"inspecting image {reference}", async c =>
        {
            try
            {
                return (await c.Images.InspectImageAsync(reference, ct)).ID;
            }
            catch (DockerImageNotFoundException)
            {
                return null;
            }
        }, "check `docker info`");

    public static async Task<bool> ImageExistsAsync(string reference, CancellationToken ct) => await ImageIdAsync(reference, ct) is not null;

    /// <summary>Pulls <paramref name="reference"/> from its registry; the registry's refusal is a harness error with its words.</summary>
    public static async Task PullAsync(string reference, CancellationToken ct)
    {
        var (repository, tag) = Split(reference);
        var what = $"pulling {reference}";
        const string Fix = "check the name and that its registry is reachable (`docker pull` says the same)";
        var said = new Messages();
        await CallAsync(what, c => c.Images.CreateImageAsync(new ImagesCreateParameters { FromImage = repository, Tag = tag }, null, said, ct), Fix);
        said.ThrowIfFailed(what, Fix);
    }

    /// <summary>Gives the image <paramref name="source"/> the name <paramref name="target"/> too.</summary>
    public static Task TagAsync(string source, string target, CancellationToken ct)
    {
        var (repository, tag) = Split(target);
        return CallAsync($"tagging {source} as {target}", c => c.Images.TagImageAsync(source, new ImageTagParameters { RepositoryName = repository, Tag = tag }, ct),
            "check `docker image ls`");
    }

    /// <summary>The ids of the images with no name ("dangling": a build's leftover stage, a tag moved away) that carry <paramref name="label"/> ("key=value").</summary>
    public static async Task<IReadOnlyList<string>> UntaggedImagesAsync(string label, CancellationToken ct) =>
        [.. (await CallAsync("listing untagged images", c => c.Images.ListImagesAsync(new ImagesListParameters
        {
            Filters = new Dictionary<string, IDictionary<string, bool>> { ["dangling"] = new Dictionary<string, bool> { ["true"] = true }, ["label"] = new Dictionary<string, bool> { [label] = true } },
        }, ct), "check `docker info`")).Select(i => i.ID)];

    /// <summary>Removes the name <paramref name="reference"/>, and the image when no other name holds it (`docker rmi`); a missing one is gone already.</summary>
    public static Task RemoveImageAsync(string reference, CancellationToken ct) =>
        CallAsync($"removing image {reference}", async c =>
        {
            try
            {
                await c.Images.DeleteImageAsync(reference, new ImageDeleteParameters(), ct);
            }
            catch (DockerImageNotFoundException)
            {
                // Gone already.
            }
        }, "a container may still use it: `docker ps -a --filter ancestor=" + reference + "`");

    /// <summary>Makes an image named <paramref name="target"/> of a root filesystem sent as a tar stream (`docker import -`).</summary>
    public static async Task ImportAsync(Stream rootfsTar, string target, CancellationToken ct)
    {
        var (repository, tag) = Split(target);
        var what = $"importing {target}";
        const string Fix = "check `docker info` and the free disk space under /var/lib/docker";
        var said = new Messages();
        await CallAsync(what, c => c.Images.CreateImageAsync(new ImagesCreateParameters { Repo = repository, Tag = tag }, rootfsTar, null, said, ct), Fix);
        said.ThrowIfFailed(what, Fix);
    }

    /// <summary>Starts a build: the engine's stream of messages, or its refusal with <paramref name="fix"/>, what to do about a build refused.</summary>
    /// <remarks>
    /// The raw stream, not the overload that reports JSONMessages: their Aux is an object, and BuildKit's
    /// status updates ("moby.buildkit.trace") carry a base64 string there, which that overload cannot read.
    /// </remarks>
    internal static Task<Stream> StartBuildAsync(Stream context, ImageBuildParameters parameters, string what, string fix, CancellationToken ct) =>
#pragma warning disable CS0618 // "does not wait for the build to complete": the caller reads the stream to its end
        CallAsync($"the {what}", c => c.Images.BuildImageFromDockerfileAsync(context, parameters, ct), fix);
#pragma warning restore CS0618

    /// <summary>
    /// REPOSITORY[:TAG] (the repository may have a registry with a port); no tag means latest. A reference by
    /// digest (REPOSITORY@sha256:…) stays whole, with no tag: the engine reads the digest from it.
    /// </summary>
    internal static (string Repository, string? Tag) Split(string reference)
    {
        if (reference.Contains('@', StringComparison.Ordinal))
        {
            return (reference, null);
        }
        var colon = reference.LastIndexOf(':');
        return colon > reference.LastIndexOf('/') ? (reference[..colon], reference[(colon + 1)..]) : (reference, "latest");
    }

    /// <summary>The engine's progress messages of a pull or import: an error among them is the call's failure.</summary>
    private sealed class Messages : IProgress<JSONMessage>
    {
        private string? _error;

        public void Report(JSONMessage value) => _error ??= value.Error?.Message is { Length: > 0 } e ? e : null;

        public void ThrowIfFailed(string what, string fix)
        {
            if (_error is not null)
            {
                throw new HarnessFaultException($"{what} failed: {_error}", fix);
            }
        }
    }
}
