using System.Diagnostics;
using KernelRegression.Checks;
using KernelRegression.Tiers;
using KernelRegression.Students;

namespace KernelRegression.Faults;

/// <summary>
/// One student of a crowd: how long each step took; what the deployment did wrong (<see cref="Error"/>), or
/// what the harness broke on (<see cref="HarnessError"/>, never a verdict); and why the kernel was relaunched
/// at start, if it was.
/// </summary>
public sealed record CrowdMember(string Name, TimeSpan Spawn, TimeSpan KernelReady, TimeSpan Execute, string? Error, string? Relaunched = null)
{
    public string? HarnessError { get; init; }
}

/// <summary>Many users at once (start of class): N students spawn, start kernels and run a cell concurrently. The judge decides what they met (Judging/Judge.Faults).</summary>
public static class Crowd
{
    public static int DefaultSize =>
        Settings.Crowd;

    public static async Task<IReadOnlyList<CrowdMember>> ArriveAsync(IHubDeployment deployment, int size, System.Text.Json.Nodes.JsonObject? userOptions, CancellationToken ct) =>
        await Task.WhenAll(Enumerable.Range(0, size).Select(async _ =>
        {
            var name = Student.NewName("crowd");
            try
            {
                await using var student = await Student.SpawnAsync(deployment, ct, name, userOptions: userOptions);
                await using var kernel = await student.StartKernelAsync(ct);
                var sw = Stopwatch.StartNew();
                var r = await KernelChecks.ExecutesAsync(student, kernel, "sum(range(10**6))", ct);
                return new CrowdMember(name, student.Timings["spawn"] ?? TimeSpan.Zero, student.Timings["kernel-ready"] ?? TimeSpan.Zero, sw.Elapsed,
                    r.Result == "499999500000" ? null : $"wrong result {r}", kernel.RelaunchedAtStart);
            }
            catch (Exception e) when (e is not OperationCanceledException || !ct.IsCancellationRequested)
            {
                var what = (e is ActionableException h ? h.What : $"{e.GetType().Name}: {e.Message}").Split('\n')[0];
                return Blame.IsHarness(e)
                    ? new CrowdMember(name, TimeSpan.Zero, TimeSpan.Zero, TimeSpan.Zero, null) { HarnessError = what }
                    : new CrowdMember(name, TimeSpan.Zero, TimeSpan.Zero, TimeSpan.Zero, what);
            }
        }));
}
