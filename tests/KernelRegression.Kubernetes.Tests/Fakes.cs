using KernelRegression.Kubernetes.Commands;
using KernelRegression.Kubernetes.Plan;
using KernelRegression.Kubernetes.Pods;
using KernelRegression.Kubernetes.Chart;

namespace KernelRegression.Kubernetes.Tests;

/// <summary>Records every command instead of running it; answers from a script keyed by the command's start.</summary>
internal sealed class RecordingRunner(Dictionary<string, CommandResult>? answers = null) : ICommandRunner
{
    public List<CommandLine> Issued { get; } = [];

    public Task<CommandResult> RunAsync(CommandLine command, TimeSpan deadline, CancellationToken ct)
    {
        Issued.Add(command);
        var text = command.ToString();
        var answer = answers?.FirstOrDefault(a => text.StartsWith(a.Key, StringComparison.Ordinal)).Value;
        return Task.FromResult(answer ?? new CommandResult(0, "", ""));
    }

    public IReadOnlyList<string> Argv => Issued.Select(c => c.ToString()).ToList();
}

internal sealed class FixedImage(string tag) : IImageSource
{
    public Task<string> SingleUserAsync(ImageSpec image, CancellationToken ct) => Task.FromResult(tag);
}

internal sealed class RecordingWaiter : IClusterWaiter
{
    public List<AwaitTarget> Awaited { get; } = [];

    public Task AwaitAsync(AwaitTarget target, RunValues values, TimeSpan deadline, CancellationToken ct)
    {
        Awaited.Add(target);
        return Task.CompletedTask;
    }
}

/// <summary>The repository's matrix and profiles: the cells the tests plan are the ones CI runs.</summary>
internal static class Cells
{
    public static MatrixFile Matrix { get; } = MatrixFile.Load(FixturePaths.Of("matrix.yaml"));

    public static MatrixCell Kind(string hub, string image = "sid", string profile = "default") => Matrix.Cell("kind", hub, image, profile);
}

/// <summary>
/// The notebook container's securityContext as KubeSpawner's make_pod builds it from the chart values
/// (kubespawner/objects.py at 6.2.0 and 7.0.0, the same code): runAsUser from uid (singleuser.uid),
/// runAsGroup from gid (hub.config.KubeSpawner.gid), allowPrivilegeEscalation from
/// singleuser.allowPrivilegeEscalation (chart default false; an explicit null leaves it out), then container_security_context merged
/// over them (csc.update), then extra_container_config applied by update_k8s_model, which sets each
/// attribute it names, securityContext whole.
/// </summary>
internal static class KubeSpawnerSecurityContext
{
    public static Dictionary<string, object?> Of(Dictionary<string, object?> values)
    {
        static Dictionary<string, object?>? Map(object? o) => o as Dictionary<string, object?>;
        var singleuser = Map(values["singleuser"])!;
        var kubeSpawner = Map(Map(Map(values["hub"])!["config"])!.GetValueOrDefault("KubeSpawner")) ?? [];
        var csc = new Dictionary<string, object?>();
        if (singleuser.GetValueOrDefault("uid") is { } uid)
        {
            csc["runAsUser"] = uid;
        }
        if (kubeSpawner.GetValueOrDefault("gid") is { } gid)
        {
            csc["runAsGroup"] = gid;
        }
        if (!singleuser.TryGetValue("allowPrivilegeEscalation", out var escalation))
        {
            csc["allowPrivilegeEscalation"] = false;
        }
        else if (escalation is not null)
        {
            csc["allowPrivilegeEscalation"] = escalation;
        }
        foreach (var (k, v) in Map(kubeSpawner.GetValueOrDefault("container_security_context")) ?? [])
        {
            csc[k] = v;
        }
        if (Map(kubeSpawner.GetValueOrDefault("extra_container_config"))?.GetValueOrDefault("securityContext") is Dictionary<string, object?> replaced)
        {
            return replaced;
        }
        return csc;
    }
}

/// <summary>The kind tier's hub object over a <see cref="FakeKubeApi"/>; the hub itself unreachable, so pods are found by their labels.</summary>
internal static class FakeHub
{
    public static KubernetesHub Over(FakeKubeApi api, Uri? exec = null) =>
        new(TierName.Kind, "run1", new Uri("http://127.0.0.1:9/"), "token", exec is null ? api.Client() : api.Client(exec), "5.3.0",
            KubeSpawnerNaming.For("7.0.0"), () => ValueTask.CompletedTask, _ => { });
}
