using KernelRegression.Matrix;
using KernelRegression.Kubernetes.Commands;
using KernelRegression.Kubernetes.Plan;

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
