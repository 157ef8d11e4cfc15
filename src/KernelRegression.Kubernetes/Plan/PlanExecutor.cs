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
            catch (ActionableException e)
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
            case LoadImageStep l:
                await LoadImageAsync(l, values, ct);
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

    private async Task LoadImageAsync(LoadImageStep step, RunValues values, CancellationToken ct)
    {
        var image = step.Image(values);
        var load = await runner.RunAsync(KindCommands.Load(step.ClusterName, image), LoadImageStep.Deadline, ct);
        if (load.Succeeded)
        {
            return;
        }
        if (!KindCommands.IsContainerdStoreFailure(load))
        {
            throw Failed(step.Title, KindCommands.Load(step.ClusterName, image), load);
        }
        _progress($"`kind load docker-image {image}` hit Docker's containerd image store (kubernetes-sigs/kind#3795): loading one platform as an archive instead");
        var tarball = step.Tarball(values);
        try
        {
            var save = await runner.RunAsync(KindCommands.SaveOnePlatform(image, tarball), LoadImageStep.Deadline, ct);
            var archive = save.Succeeded ? await runner.RunAsync(KindCommands.LoadArchive(step.ClusterName, tarball), LoadImageStep.Deadline, ct) : save;
            if (!archive.Succeeded)
            {
                throw new HarnessException(
                    $"step '{step.Title}': kind cannot load {image} from Docker's containerd image store (https://github.com/kubernetes-sigs/kind/issues/3795), and the workaround failed too: {Tail(archive)}",
                    "turn the containerd image store off: put {\"features\": {\"containerd-snapshotter\": false}} in /etc/docker/daemon.json, restart Docker, and build the images again (they are not carried over)");
            }
        }
        finally
        {
            File.Delete(tarball);
        }
    }

    private static string Tail(CommandResult r) => string.Join('\n', (r.StandardError + "\n" + r.StandardOutput).Trim().Split('\n').TakeLast(25));

    private static HarnessException Failed(string title, CommandLine command, CommandResult r) =>
        new($"step '{title}' failed: `{command}` exited {r.ExitCode}\n{KernelRegression.Secrets.Redact(Tail(r))}",
            "read the output above; `kr plan` prints every step so you can run this one by hand");

    private async Task RunCommandAsync(CommandStep c, RunValues values, CancellationToken ct)
    {
        var command = c.Command(values);
        var r = await runner.RunAsync(command, c.Deadline, ct);
        if (r.Succeeded || c.IgnoreFailure)
        {
            return;
        }
        if (c.PrerequisiteFix is not null)
        {
            throw new MissingPrerequisiteException($"{c.Title}: `{command}` failed (exit {r.ExitCode}): {Tail(r)}", c.PrerequisiteFix);
        }
        throw Failed(c.Title, command, r);
    }
}
