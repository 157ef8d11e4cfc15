using KernelRegression.Browser;
using System.Text.Json.Nodes;
using KernelRegression.Jupyter;
using KernelRegression.Matrix;
using KernelRegression.Host;
using KernelRegression.Students;
using KernelRegression.Tiers;

namespace KernelRegression.Evidence;

/// <summary>
/// Everything a cell leaves behind besides its verdicts, typed: what was launched, what the tier saw
/// of the server (process tree, container, versions, environment, user), the kernel's protocol
/// timeline and its processes, step timings, and the logs. Text is made from it only where reports
/// are written; the explanation and the diagnosis read it as it is.
/// </summary>
public sealed record CellEvidence
{
    public string Tier { get; init; } = "";
    public string HubVersion { get; init; } = "";
    /// <summary>The image a container tier launched; null where the tier has no images.</summary>
    public string? Image { get; init; }
    /// <summary>The launch actually applied (the cell's profile with its scenario's overrides).</summary>
    public LaunchProfile? Launch { get; init; }
    public TierEvidence Server { get; init; } = TierEvidence.None;
    public string KernelLastStatus { get; init; } = "never connected";
    public string KernelProtocol { get; init; } = "";
    public IReadOnlyList<TimelineEntry> Timeline { get; init; } = [];
    public IReadOnlyList<StepTiming> Steps { get; init; } = [];
    public IReadOnlyList<KernelProcessSeen> KernelProcesses { get; init; } = [];
    /// <summary>The server's own output (or, when it never came up, its last words the spawner logged in the hub log).</summary>
    public IReadOnlyList<string> ServerLog { get; init; } = [];
    public IReadOnlyList<string> HubLog { get; init; } = [];
    public IReadOnlyList<NotApplied> NotApplied { get; init; } = [];
    public IReadOnlyList<Attachment> Attachments { get; init; } = [];
    /// <summary>The browser student's run (its steps, UI, console errors, failed requests), where the cell ran the browser check.</summary>
    public BrowserRun? Browser { get; init; }
    /// <summary>The incident's control, where the cell's kernel died silently at start under a PID-1 server (<see cref="ControlLauncher"/>).</summary>
    public ControlLaunch? Control { get; init; }
    /// <summary>Why the tier's evidence could not be read (evidence never changes a verdict).</summary>
    public string? CollectionError { get; init; }

    public static CellEvidence Empty { get; } = new();

    /// <summary>
    /// The evidence as comparable facts, in a stable order: what the diagnosis compares between a
    /// failing and a passing cell, and what facts.txt shows.
    /// </summary>
    public IEnumerable<(string Key, string Value)> Facts()
    {
        yield return ("tier", Tier);
        yield return ("hub.version", HubVersion);
        yield return ("kernel.last_status", KernelLastStatus);
        yield return ("kernel.protocol", KernelProtocol);
        if (Launch is not null)
        {
            foreach (var (k, v) in Launch.ToSpawnerJson(Image ?? ""))
            {
                if (k == "labels")
                {
                    continue;
                }
                yield return (k == "image" ? "image" : "profile." + k, v switch
                {
                    null => "null",
                    JsonValue s when s.TryGetValue<string>(out var text) => text,
                    _ => v.ToJsonString(),
                });
            }
            yield return ("profile.name", Launch.Name);
        }
        var facts = new List<(string, string)>();
        if (Server.Processes is { } tree)
        {
            facts.AddRange(tree.Facts());
        }
        if (Server.Container is { } container)
        {
            facts.AddRange(container.Facts());
        }
        if (Server.User is { } user)
        {
            facts.AddRange(user.Facts());
        }
        facts.AddRange(Server.Versions.Select(v => ("versions." + v.Key, v.Value)));
        facts.AddRange(Server.Extra.Select(v => (v.Key, v.Value)));
        facts.AddRange(Server.Environment.Select(v => ("env." + v.Key, v.Value)));
        if (CollectionError is not null)
        {
            facts.Add(("evidence.error", CollectionError));
        }
        foreach (var f in facts)
        {
            yield return f;
        }
    }
}
