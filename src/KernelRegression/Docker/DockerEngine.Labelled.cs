using Docker.DotNet.Models;
using KernelRegression.Host;

namespace KernelRegression.Docker;

/// <summary>What a run made, found by its labels: counted, listed, removed, and swept when its owner is gone.</summary>
public static partial class DockerEngine
{
    /// <summary>Removes every container, network and volume labelled with the run id.</summary>
    public static Task RemoveRunAsync(string runId, CancellationToken ct) => RemoveLabelledAsync([$"{RunLabel}={runId}"], ct);

    /// <summary>
    /// Removes the containers carrying every one of <paramref name="labels"/> ("key=value"), with their
    /// anonymous volumes (they hold the network), then the networks, then the volumes. What the engine
    /// will not remove (already gone, being removed) is left to the next sweep, as `docker rm -f` leaves it.
    /// </summary>
    public static async Task RemoveLabelledAsync(IReadOnlyList<string> labels, CancellationToken ct)
    {
        var filter = LabelFilter(labels);
        await Task.WhenAll((await ContainersAsync(filter, ct)).Select(c => QuietlyAsync(Client.Containers.RemoveContainerAsync(
            c.ID, new ContainerRemoveParameters { Force = true, RemoveVolumes = true }, ct))));
        foreach (var network in await NetworksAsync(filter, ct))
        {
            await QuietlyAsync(Client.Networks.DeleteNetworkAsync(network.ID, ct));
        }
        await Task.WhenAll((await VolumesAsync(filter, ct)).Select(v => QuietlyAsync(Client.Volumes.RemoveAsync(v.Name, force: true, ct))));
    }

    private static readonly Lazy<Task<IReadOnlyList<string>>> Swept = new(() => SweepStaleAsync(CancellationToken.None));

    /// <summary>Once per process: removes containers, networks and volumes of runs whose owner is gone (a crashed harness).</summary>
    public static Task<IReadOnlyList<string>> SweepStaleOnceAsync() => Swept.Value;

    public static async Task<IReadOnlyList<string>> SweepStaleAsync(CancellationToken ct)
    {
        var stale = (await LabelledRunsAsync(ct)).Where(id => !Host.StaleRuns.IsLive(id)).ToList();
        foreach (var id in stale)
        {
            await RemoveRunAsync(id, ct);
        }
        return stale;
    }

    /// <summary>Run ids of every container, network or volume of this project on the engine.</summary>
    public static async Task<IReadOnlySet<string>> LabelledRunsAsync(CancellationToken ct)
    {
        var filter = LabelFilter([$"{OwnerLabel}={Owner}"]);
        IEnumerable<IDictionary<string, string>?> labels =
        [
            .. (await ContainersAsync(filter, ct)).Select(c => c.Labels),
            .. (await NetworksAsync(filter, ct)).Select(n => n.Labels),
            .. (await VolumesAsync(filter, ct)).Select(v => v.Labels),
        ];
        return labels.Select(l => l is not null && l.TryGetValue(RunLabel, out var run) ? run : "").ToHashSet();
    }

    /// <summary>How many containers, networks and volumes of the run exist.</summary>
    public static async Task<int> CountRunAsync(string runId, CancellationToken ct)
    {
        var filter = LabelFilter([$"{RunLabel}={runId}"]);
        return (await ContainersAsync(filter, ct)).Count + (await NetworksAsync(filter, ct)).Count + (await VolumesAsync(filter, ct)).Count;
    }

    /// <summary>The ids of the containers, running or not, carrying every one of <paramref name="labels"/>.</summary>
    public static async Task<IReadOnlyList<string>> ContainerIdsAsync(IReadOnlyList<string> labels, CancellationToken ct) =>
        [.. (await ContainersAsync(LabelFilter(labels), ct)).Select(c => c.ID)];

    /// <summary>The names of the volumes carrying every one of <paramref name="labels"/>.</summary>
    public static async Task<IReadOnlyList<string>> VolumeNamesAsync(IReadOnlyList<string> labels, CancellationToken ct) =>
        [.. (await VolumesAsync(LabelFilter(labels), ct)).Select(v => v.Name)];

    private static Task<IList<ContainerListResponse>> ContainersAsync(Dictionary<string, IDictionary<string, bool>> filter, CancellationToken ct) =>
        CallAsync("listing containers by label", c => c.Containers.ListContainersAsync(new ContainersListParameters { All = true, Filters = filter }, ct), "check `docker info`");

    private static Task<IList<NetworkResponse>> NetworksAsync(Dictionary<string, IDictionary<string, bool>> filter, CancellationToken ct) =>
        CallAsync("listing networks by label", c => c.Networks.ListNetworksAsync(new NetworksListParameters { Filters = filter }, ct), "check `docker info`");

    private static async Task<IList<VolumeResponse>> VolumesAsync(Dictionary<string, IDictionary<string, bool>> filter, CancellationToken ct) =>
        (await CallAsync("listing volumes by label", c => c.Volumes.ListAsync(new VolumesListParameters { Filters = filter }, ct), "check `docker info`")).Volumes ?? [];

    /// <summary>A removal whose refusal is not an error: the object is gone already, or another removal has it.</summary>
    private static async Task QuietlyAsync(Task removal)
    {
        try
        {
            await removal;
        }
        catch (global::Docker.DotNet.DockerApiException)
        {
            // Gone already, or in removal: the next sweep sees what is left.
        }
    }
}
