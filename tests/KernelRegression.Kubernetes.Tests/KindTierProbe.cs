using KernelRegression.Kubernetes.Commands;

namespace KernelRegression.Kubernetes.Tests;

/// <summary>
/// The kind tier needs docker, kind and helm on this machine and the kindest/node image of every default kind
/// cell (which no registry here serves): asked once per test run, with the pull deadline KR_REQUIRE_TIER=kind allows.
/// </summary>
public sealed class KindTierProbe : ITierProbe
{
    private static readonly Lazy<string?> Missing = new(() =>
    {
        var runner = CliCommandRunner.Instance;
        using var deadline = new CancellationTokenSource(Prerequisites.NodeImagePullDeadline("kind") + Deadline.Of(30));
        try
        {
            Task.Run(async () =>
            {
                foreach (var program in new[] { "docker", "kind", "helm" })
                {
                    await Prerequisites.ProgramAsync(runner, program, deadline.Token);
                }
                foreach (var image in KindTier.Selected(Cells.Matrix, null).Select(c => c.Hub.NodeImage!).Distinct())
                {
                    await Prerequisites.NodeImageAsync(runner, image, Prerequisites.NodeImagePullDeadline("kind"), deadline.Token);
                }
            }).GetAwaiter().GetResult();
            return null;
        }
        catch (MissingPrerequisiteException e)
        {
            return $"the kind tier needs: {e.What} (fix: {e.Fix})";
        }
    });

    public string Tier => "kind";

    public string? WhyNot() => Missing.Value;
}
