using KernelRegression.Host;

namespace KernelRegression.Tiers.Process;

/// <summary>
/// Builds the embedded default tier: JupyterHub and configurable-http-proxy from this machine's
/// install, as local processes on 127.0.0.1 with free ports, SimpleLocalProcessSpawner, in a
/// directory of the run. Immutable: each With… returns a new builder.
/// </summary>
public sealed record ProcessHubBuilder
{
    public string JupyterHub { get; init; } = Settings.JupyterHub;
    public string Proxy { get; init; } = Settings.Proxy;
    public string ConfigFile { get; init; } = FixturePaths.Of("hub", "jupyterhub_config.py");
    public IReadOnlyDictionary<string, string> SpawnerEnvironment { get; init; } = new Dictionary<string, string>();
    public TimeSpan StartTimeout { get; init; } = Deadline.Of(30);
    /// <summary>Extra KR_* variables for the hub's configuration (e.g. KR_COOKIE_OPTIONS).</summary>
    public IReadOnlyDictionary<string, string> HubEnvironment { get; init; } = new Dictionary<string, string>();

    public ProcessHubBuilder WithJupyterHub(string path) => this with { JupyterHub = path };

    /// <summary>Validates the install and starts proxy and hub. Fails fast, naming what is missing and the fix.</summary>
    public async Task<ProcessHub> StartAsync(Run run, CancellationToken ct)
    {
        RequireInstalled();
        return await ProcessHub.StartAsync(this, run, ct);
    }

    /// <summary>What the hub needs from this machine, named with the fix when it is missing.</summary>
    public void RequireInstalled()
    {
        Require(JupyterHub, "JupyterHub", "jupyterhub");
        Require(Proxy, "configurable-http-proxy", "node-configurable-http-proxy");
        Require("/usr/bin/jupyterhub-singleuser", "jupyterhub-singleuser", "jupyterhub");
        if (!File.Exists(ConfigFile))
        {
            throw new MissingPrerequisiteException($"the hub configuration {ConfigFile} is missing",
                "run from a checkout of KernelRegression, or set KR_FIXTURES to its fixtures/ folder");
        }
    }

    private static void Require(string path, string what, string package)
    {
        if (!File.Exists(path))
        {
            throw new MissingPrerequisiteException(
                $"{what} is not installed: {path} does not exist",
                $"run eng/bootstrap.sh process (as root), or: sudo apt-get install -y {package} node-configurable-http-proxy python3-notebook python3-ipykernel");
        }
    }
}
