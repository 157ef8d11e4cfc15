using System.Diagnostics;
using KernelRegression.Checks;
using KernelRegression.Tiers;

namespace KernelRegression.Faults;

/// <summary>One student of a crowd: how long each step took, or what went wrong; and why the kernel was relaunched at start, if it was.</summary>
public sealed record CrowdMember(string Name, TimeSpan Spawn, TimeSpan KernelReady, TimeSpan Execute, string? Error, string? Relaunched = null);

/// <summary>Many users at once (start of class): N students spawn, start kernels and run a cell concurrently.</summary>
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
            catch (HarnessException e)
            {
                return new CrowdMember(name, TimeSpan.Zero, TimeSpan.Zero, TimeSpan.Zero, e.What.Split('\n')[0]);
            }
        }));
}
