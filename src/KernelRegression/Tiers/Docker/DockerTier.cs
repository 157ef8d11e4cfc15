using System.Collections.Concurrent;
using KernelRegression.Matrix;
using KernelRegression.Host;
using KernelRegression.Images;
using KernelRegression.Docker;

namespace KernelRegression.Tiers.Docker;

/// <summary>
/// The docker tier: one hub container per hub version, started on first use and shared by its cells;
/// single-user images built from the recipes (or brought as refs). <see cref="PrepareAsync"/> is the
/// build phase: every image the cells need exists before the first cell is judged, so cells never
/// compete with image builds for the machine.
/// </summary>
public sealed class DockerTier(Run run, ImageStore? images = null) : ITier
{
    private readonly ConcurrentDictionary<string, Lazy<Task<DockerHub>>> _hubs = new();
    private readonly CancellationTokenSource _stop = new();

    public IReadOnlyList<CapabilityRow> Capabilities { get; } = Tiers.Capabilities.Table(typeof(DockerHub), DockerHub.Missing);

    public TierName Name => TierName.Docker;
    public Run Run => run;
    public ImageStore Images { get; } = images ?? new ImageStore();

    public async Task PrepareAsync(IReadOnlyList<MatrixCell> cells, Action<string> progress, CancellationToken ct)
    {
        foreach (var cell in cells.Where(c => c.Tier != Name || c.Image.IsHost))
        {
            throw new HarnessException($"cell {cell.Id} cannot run on the docker tier", "select docker cells (kr cells --cells 'docker/*')");
        }
        await DockerEngine.RequireAsync(ct);
        var previous = Images.Progress;
        Images.Progress = progress;
        try
        {
            // Bases first, one suite at a time (each is a debootstrap), then the recipes two at a time:
            // two cores, and a build is mostly one busy apt or dpkg. Single-user images before hubs: a hub is
            // built on its suite's default single-user image, so by its turn that image is built or building.
            var hubs = cells.Select(c => c.Hub).DistinctBy(h => h.Suite).Select(h => (Func<Task>)(() => Images.HubAsync(h, ct)));
            var singleUser = cells.SelectMany(c => c.OtherImages.Prepend(ImageOf(c, ScenarioOf(c)))).DistinctBy(i => (i.Name, i.Frontend))
                .Select(i => (Func<Task>)(() => Images.SingleUserAsync(i, ct)));
            using var slots = new SemaphoreSlim(2);
            await Task.WhenAll(singleUser.Concat(hubs).Select(async build =>
            {
                await slots.WaitAsync(ct);
                try
                {
                    await build();
                }
                finally
                {
                    slots.Release();
                }
            }));
        }
        finally
        {
            Images.Progress = previous;
        }
    }

    public Task<DockerHub> HubAsync(HubSpec spec, CancellationToken ct) =>
        _hubs.GetOrAdd(spec.Name, _ => new Lazy<Task<DockerHub>>(() => DockerHub.StartAsync(spec, run, Images, _stop.Token))).Value.WaitAsync(ct);

    private static Scenario? ScenarioOf(MatrixCell cell) => cell.Scenario == "healthy" ? null : Scenario.Load(cell.Scenario);

    /// <summary>The cell's image, with the front end its scenario asks for.</summary>
    private static ImageSpec ImageOf(MatrixCell cell, Scenario? scenario) =>
        scenario?.Setup.Frontend is { } frontend ? cell.Image with { Frontend = frontend } : cell.Image;

    /// <summary>The cell's hub; a scenario that sets the hub's own configuration gets a hub of its own.</summary>
    private static HubSpec HubOf(MatrixCell cell, Scenario? scenario) =>
        scenario is { Setup.HubEnv.Count: > 0 }
            ? cell.Hub with { Name = $"{cell.Hub.Name}-{scenario.Name}", Env = new Dictionary<string, string>(cell.Hub.Env.Concat(scenario.Setup.HubEnv)) }
            : cell.Hub;

    public async Task<CellDeployment> DeployAsync(MatrixCell cell, CancellationToken ct)
    {
        var scenario = ScenarioOf(cell);
        var profile = cell.ResolveLaunch();
        profile = scenario?.Apply(profile) ?? profile;
        var image = await Images.SingleUserAsync(ImageOf(cell, scenario), ct);
        // Init containers name their images as the values do; each becomes the tag made here.
        var others = new Dictionary<string, string>();
        foreach (var other in cell.OtherImages)
        {
            others[other.Ref ?? other.Name] = await Images.SingleUserAsync(other, ct);
        }
        var hub = await HubAsync(HubOf(cell, scenario), ct);
        return new CellDeployment(hub, hub.UserOptions(image, profile, i => others.GetValueOrDefault(i, i)), image, profile, scenario) { NotApplied = cell.NotApplied };
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        foreach (var hub in _hubs.Values.Where(h => h.IsValueCreated))
        {
            try
            {
                await (await hub.Value).DisposeAsync();
            }
            catch (Exception)
            {
                // A hub that failed to start has nothing to dispose; its containers carry the run label.
            }
        }
        await DockerEngine.RemoveRunAsync(run.Id, CancellationToken.None);
        _stop.Dispose();
    }
}
