using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using Docker.DotNet;

namespace KernelRegression.Docker;

/// <summary>
/// The Docker engine, through its typed API (Docker.DotNet, the client Testcontainers uses): images, the
/// containers the spawner makes, builds, and the removal of what a run labelled. The endpoint is the one
/// the docker command would use (DOCKER_HOST, else the current docker context, else /var/run/docker.sock).
/// Every error of the engine becomes a <see cref="HarnessFaultException"/> saying what was asked and what to do.
/// What stays on the docker command line, and why: the run's reaper (a shell script that must outlive a
/// `kill -9` of kr, Runs/Reaper.cs), the kind tier's plan (commands an operator reads and replays, and
/// `kind load` drives the CLI itself) and eng/ scripts.
/// </summary>
public static partial class DockerEngine
{
    public const string RunLabel = "org.kernelregression.run";
    public const string OwnerLabel = "org.kernelregression.owner";
    public const string Owner = "kernelregression";

    /// <summary>The API version Testcontainers speaks: an older engine refuses it.</summary>
    public static Version MinimumApi { get; } = new(1, 44);

    private const string StartEngine = "run eng/bootstrap.sh docker (as root): it installs a Docker engine with API >= 1.44 and starts it";

    private static readonly Lazy<DockerClient> Shared = new(() => new DockerClientBuilder().Build());

    private static DockerClient Client
    {
        get
        {
            try
            {
                return Shared.Value;
            }
            catch (DockerConfigurationException e)
            {
                throw new MissingPrerequisiteException($"the Docker endpoint is not usable: {e.Message}", "check DOCKER_HOST and `docker context ls`; " + StartEngine);
            }
        }
    }

    /// <summary>Fails fast, naming the fix, when no Docker engine answers or it is too old for Testcontainers.</summary>
    public static async Task RequireAsync(CancellationToken ct)
    {
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(ct);
        cts.CancelAfter(TimeSpan.FromSeconds(10));
        string reported;
        try
        {
            reported = (await Client.System.GetVersionAsync(cts.Token)).APIVersion;
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
            throw new MissingPrerequisiteException("the Docker engine did not answer within 10 s", "check `docker info`; start the engine with eng/bootstrap.sh docker");
        }
        catch (Exception e) when (Unreachable(e))
        {
            throw new MissingPrerequisiteException($"no Docker engine answers at {Client.Options.Endpoint}: {e.GetBaseException().Message}", StartEngine);
        }
        catch (DockerApiException e)
        {
            throw new MissingPrerequisiteException($"the Docker engine refused the version request: {Said(e)}", StartEngine);
        }
        var api = Version.TryParse(reported, out var v) ? v : new Version(0, 0);
        if (api < MinimumApi)
        {
            throw new MissingPrerequisiteException($"the Docker engine speaks API {api}; Testcontainers needs {MinimumApi} or newer",
                "install a newer engine: eng/bootstrap.sh docker takes trixie's docker.io on Debian 12");
        }
    }

    /// <summary>One call to the engine; its refusal becomes a harness error that says <paramref name="what"/> and the engine's own words.</summary>
    private static async Task<T> CallAsync<T>(string what, Func<DockerClient, Task<T>> call, string fix)
    {
        try
        {
            return await call(Client);
        }
        catch (DockerApiException e)
        {
            throw new HarnessFaultException($"{what}: the Docker engine answered {(int)e.StatusCode} {e.StatusCode}: {Said(e)}", fix, e);
        }
        catch (Exception e) when (Unreachable(e))
        {
            throw new HarnessFaultException($"{what}: no Docker engine answers at {Client.Options.Endpoint}: {e.GetBaseException().Message}", StartEngine, e);
        }
        catch (IOException e)
        {
            throw new HarnessFaultException($"{what}: the connection to the Docker engine broke: {e.GetBaseException().Message}", "check `docker info`", e);
        }
    }

    private static Task<bool> CallAsync(string what, Func<DockerClient, Task> call, string fix) =>
        CallAsync(what, async c => { await call(c); return true; }, fix);

    private static bool Unreachable(Exception e) => e is HttpRequestException or SocketException;

    /// <summary>The engine's own message ({"message": "…"}), else its whole answer.</summary>
    internal static string Said(DockerApiException e)
    {
        var body = e.ResponseBody?.Trim() ?? "";
        try
        {
            using var json = JsonDocument.Parse(body);
            return json.RootElement.TryGetProperty("message", out var m) ? m.GetString() ?? body : body;
        }
        catch (JsonException)
        {
            return body;
        }
    }

    private static bool IsNotFound(DockerApiException e) => e.StatusCode == HttpStatusCode.NotFound;

    /// <summary>The engine's filter of objects carrying every one of <paramref name="labels"/> ("key=value").</summary>
    private static Dictionary<string, IDictionary<string, bool>> LabelFilter(IEnumerable<string> labels) =>
        new() { ["label"] = labels.ToDictionary(l => l, _ => true) };
}
