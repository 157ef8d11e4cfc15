using System.Diagnostics;
using KernelRegression.Matrix;
using KernelRegression.Kubernetes.Cluster;
using KernelRegression.Kubernetes.Commands;

namespace KernelRegression.Kubernetes.Plan;

/// <summary>Where single-user images come from: the docker tier's ImageStore in a run, a stub in a unit test.</summary>
public interface IImageSource
{
    Task<string> SingleUserAsync(ImageSpec image, CancellationToken ct);
}

/// <summary>Waits on the cluster and the hub (KubernetesClient and HTTP in a run, a stub in a unit test).</summary>
public interface IClusterWaiter
{
    Task AwaitAsync(AwaitTarget target, RunValues values, TimeSpan deadline, CancellationToken ct);
}

/// <summary>
/// Runs a plan's steps in order: the same steps `kr plan` prints. Each step is timed; a failed command
/// throws with its output's tail, a failed probe as a missing prerequisite.
/// </summary>
public sealed class PlanExecutor(ICommandRunner runner, IImageSource images, IClusterWaiter waiter, Action<string>? progress = null)
{
    private readonly Action<string> _progress = progress ?? (_ => { });

    public List<(string Step, TimeSpan Duration)> Timings { get; } = [];

    public async Task RunAsync(IEnumerable<PlanStep> steps, RunValues values, CancellationToken ct)
    {
        foreach (var step in steps.Where(s => !s.AtTeardown))
        {
            var sw = Stopwatch.StartNew();
            _progress($"{step.Title}…");
            await RunStepAsync(step, values, ct);
            Timings.Add((step.Title, sw.Elapsed));
        }
    }

    /// <summary>Teardown steps: each tried, failures reported, none stops the others.</summary>
    public async Task TeardownAsync(IEnumerable<PlanStep> steps, RunValues values, CancellationToken ct)
    {
        foreach (var step in steps.Where(s => s.AtTeardown))
        {
            try
            {
                await RunStepAsync(step, values, ct);
            }
            catch (HarnessException e)
            {
                _progress($"teardown step '{step.Title}' failed: {e.What}");
            }
        }
    }

    private async Task RunStepAsync(PlanStep step, RunValues values, CancellationToken ct)
    {
        switch (step)
        {
            case CommandStep c:
                await RunCommandAsync(c, values, ct);
                break;
            case FileStep f:
                var path = f.FilePath(values);
                Directory.CreateDirectory(Path.GetDirectoryName(path)!);
                await File.WriteAllTextAsync(path, f.Content(values), ct);
                break;
            case ImageStep i:
                values.SingleUserImage = await images.SingleUserAsync(i.Image, ct);
                break;
            case SweepStep:
                await ClusterSweep.SweepKindAsync(runner, _progress, ct);
                break;
            case AwaitStep a:
                await waiter.AwaitAsync(a.Target, values, a.Deadline, ct);
                break;
            default:
                throw new HarnessException($"the plan has a step of unknown kind {step.GetType().Name}", "a bug in the harness: PlanExecutor must handle every PlanStep");
        }
    }

    private async Task RunCommandAsync(CommandStep c, RunValues values, CancellationToken ct)
    {
        var command = c.Command(values);
        var r = await runner.RunAsync(command, c.Deadline, ct);
        if (r.Succeeded || c.IgnoreFailure)
        {
            return;
        }
        var tail = string.Join('\n', (r.StandardError + "\n" + r.StandardOutput).Trim().Split('\n').TakeLast(25));
        if (c.PrerequisiteFix is not null)
        {
            throw new MissingPrerequisiteException($"{c.Title}: `{command}` failed (exit {r.ExitCode}): {tail}", c.PrerequisiteFix);
        }
        throw new HarnessException($"step '{c.Title}' failed: `{command}` exited {r.ExitCode}\n{KernelRegression.Evidence.Secrets.Redact(tail)}",
            "read the output above; `kr plan` prints every step so you can run this one by hand");
    }
}
