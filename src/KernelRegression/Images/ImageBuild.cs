using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using Docker.DotNet.Models;
using KernelRegression.Docker;

namespace KernelRegression.Images;

/// <summary>
/// One image build through the Engine API's build endpoint with BuildKit (version=2): the context goes as a tar
/// in the request body, so no BuildKit session and no buildx are needed, and the engine streams typed status
/// updates (<see cref="BuildKitTrace"/>: each step's start, end, error and output) instead of text to parse.
/// BuildKit builds only the stages the target needs and leaves no untagged stage images behind (the classic
/// builder kept one per unused stage). Why this and not the classic builder or `docker buildx`: docs/images.md.
/// </summary>
public static class ImageBuild
{
    /// <summary>The Engine API's name for BuildKit; "1" is the classic builder, which Docker has deprecated.</summary>
    internal const string BuildKit = "2";

    public const string RefusedFix =
        "KernelRegression builds images with BuildKit through the engine's API (/build?version=2): use Docker Engine 23 or newer on Linux "
        + "with BuildKit on (no \"features\": {\"buildkit\": false} in /etc/docker/daemon.json); eng/bootstrap.sh docker installs one (docs/images.md)";

    /// <summary>
    /// Builds <paramref name="dockerfile"/> (a path inside the context) into <paramref name="tag"/>, labelled as the
    /// project's. Each step that starts is said to <paramref name="onStep"/> ("[packages 3/7] RUN …"). A build
    /// past <paramref name="limit"/> is cancelled (the engine stops its step) and said with the step it was at and
    /// <paramref name="stallFix"/>; a failed step is said with its own last output line. Returns the image id.
    /// </summary>
    public static async Task<string> RunAsync(string tag, BuildContext context, string dockerfile, IReadOnlyDictionary<string, string> args,
        string what, TimeSpan limit, string stallFix, Action<string> onStep, CancellationToken ct, string builder = BuildKit)
    {
        var steps = new Steps(onStep);
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(ct);
        deadline.CancelAfter(limit);
        var parameters = new ImageBuildParameters
        {
            Tags = [tag], Dockerfile = dockerfile, BuildArgs = args.ToDictionary(), Version = builder,
            Labels = new Dictionary<string, string> { [DockerEngine.OwnerLabel] = DockerEngine.Owner },
        };
        string? image = null;
        string? error = null;
        try
        {
            using var stream = await DockerEngine.StartBuildAsync(context.Tar, parameters, what, RefusedFix, deadline.Token);
            using var reader = new StreamReader(stream, Encoding.UTF8);
            while (await reader.ReadLineAsync(deadline.Token) is { } line)
            {
                if (line.Trim().Length == 0)
                {
                    continue;
                }
                var message = JsonSerializer.Deserialize<BuildMessage>(line)!;
                error ??= message.ErrorDetail?.Message ?? message.Error;
                switch (message.Id, message.Aux.ValueKind)
                {
                    case ("moby.buildkit.trace", JsonValueKind.String):
                        steps.Add(BuildKitTrace.Decode(message.Aux.GetString()!));
                        break;
                    case ("moby.image.id", JsonValueKind.Object) when message.Aux.TryGetProperty("ID", out var id):
                        image = id.GetString();
                        break;
                }
            }
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
            var within = limit.TotalMinutes >= 1 ? $"{limit.TotalMinutes:0} min" : $"{limit.TotalSeconds:0} s";
            throw new HarnessFaultException($"the {what} did not finish within {within}; it was at {steps.Current ?? "its start"}", stallFix);
        }
        if (error is not null)
        {
            throw steps.Failure(what, error);
        }
        return image ?? throw new HarnessFaultException($"the {what} ended without an error and without an image id", RefusedFix);
    }

    /// <summary>The steps seen so far, their output, and which failed.</summary>
    private sealed class Steps(Action<string> onStep)
    {
        private readonly Dictionary<string, string> _names = [];
        private readonly HashSet<string> _said = [];
        private readonly List<string> _running = [];
        private readonly Dictionary<string, List<(long Stream, string Line)>> _output = [];
        private readonly Dictionary<(string Vertex, long Stream), OutputLines> _lines = [];
        private string? _failed;
        private string? _last;

        /// <summary>The step started last that has not ended, else the one started last.</summary>
        public string? Current => _running.Count > 0 ? _names.GetValueOrDefault(_running[^1]) : _last;

        public void Add(BuildKitTrace trace)
        {
            foreach (var v in trace.Vertexes)
            {
                if (v.Name.Length > 0)
                {
                    _names[v.Digest] = v.Name.Length > 100 ? v.Name[..100] + "…" : v.Name;
                }
                // A Dockerfile step is named "[stage n/m] INSTRUCTION"; "[internal] …" is BuildKit's own work.
                if (v.Started && v.Name.StartsWith('[') && !v.Name.StartsWith("[internal]", StringComparison.Ordinal) && _said.Add(v.Digest))
                {
                    _last = _names.GetValueOrDefault(v.Digest);
                    onStep(v.Name);
                }
                _running.Remove(v.Digest);
                if (v.Started && !v.Completed)
                {
                    _running.Add(v.Digest);
                }
                if (v.Error is not null)
                {
                    _failed = v.Digest;
                }
            }
            foreach (var log in trace.Logs)
            {
                if (!_lines.TryGetValue((log.Vertex, log.Stream), out var lines))
                {
                    var output = _output.TryGetValue(log.Vertex, out var o) ? o : _output[log.Vertex] = [];
                    _lines[(log.Vertex, log.Stream)] = lines = new OutputLines(line =>
                    {
                        output.Add((log.Stream, line));
                        if (output.Count > 25)
                        {
                            output.RemoveAt(0);
                        }
                    });
                }
                lines.Add(log.Message);
            }
        }

        /// <summary>
        /// The failed step's own last words first (what reports show): its last line on stderr, else on stdout (the
        /// two streams reach the harness apart, so their order is not the step's); then its output's tail and BuildKit's error.
        /// </summary>
        public HarnessFaultException Failure(string what, string error)
        {
            foreach (var lines in _lines.Where(l => l.Key.Vertex == _failed).Select(l => l.Value))
            {
                lines.Flush();
            }
            var output = _failed is null ? [] : _output.GetValueOrDefault(_failed, []).Where(l => l.Line.Trim().Length > 0).ToList();
            var last = output.LastOrDefault(l => l.Stream == 2).Line ?? output.LastOrDefault().Line ?? error;
            var at = _failed is null ? "" : $" at {_names.GetValueOrDefault(_failed, _failed)}";
            return new HarnessFaultException($"{what} failed{at}: {Logs.CauseFinder.StripAnsi(last).Trim()}\n{string.Join('\n', output.Select(l => l.Line))}\n{error}",
                "read the output above; a recipe error names its Dockerfile line");
        }
    }

    private sealed record BuildMessage(
        [property: JsonPropertyName("id")] string? Id,
        [property: JsonPropertyName("aux")] JsonElement Aux,
        [property: JsonPropertyName("errorDetail")] BuildError? ErrorDetail,
        [property: JsonPropertyName("error")] string? Error);

    private sealed record BuildError([property: JsonPropertyName("message")] string? Message);
}
