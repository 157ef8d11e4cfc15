using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text.Json.Nodes;
using KernelRegression.Tiers;
using KernelRegression.Students;

namespace KernelRegression.Bench;

/// <summary>A load run's outcome: per-step latencies over all users, errors by user, wall time.</summary>
public sealed record LoadResult(int Users, int ExecutionsPerUser, IReadOnlyList<StepSamples> Steps, IReadOnlyList<string> Errors, TimeSpan Wall)
{
    public int Succeeded => Users - Errors.Count;
}

/// <summary>
/// N students at once, as a class starting a lab: each spawns a server, starts a kernel, runs
/// 1+1 a few times and leaves. Every step's latency is kept; a user that fails counts as an error
/// with its cause, and the others carry on.
/// </summary>
public sealed class LoadBench(IHubDeployment deployment, JsonObject? userOptions, int users, int executions = 5)
{
    public async Task<LoadResult> RunAsync(CancellationToken ct)
    {
        var steps = new ConcurrentDictionary<string, ConcurrentBag<TimeSpan>>();
        var errors = new ConcurrentBag<string>();
        void Add(string step, TimeSpan d) => steps.GetOrAdd(step, _ => []).Add(d);
        var wall = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, users).Select(async i =>
        {
            await Task.Yield();
            var total = Stopwatch.StartNew();
            Student? student = null;
            var step = "spawn";
            try
            {
                await Deadline.RunAsync($"load user {i + 1}", Deadline.Of(300), async t =>
                {
                    student = await Student.SpawnAsync(deployment, t, name: Student.NewName("load"), userOptions: userOptions);
                    Add("spawn", student.Timings["spawn"]!.Value);
                    step = "kernel-ready";
                    var sw = Stopwatch.StartNew();
                    var kernel = await student.StartKernelAsync(t);
                    Add("kernel-ready", sw.Elapsed);
                    step = "execute";
                    for (var e = 0; e < executions; e++)
                    {
                        var r = await kernel.ExecuteAsync("1+1", Deadline.Of(30), t);
                        if (r.Result != "2")
                        {
                            throw new HarnessException($"1+1 gave {r}", "see the kernel timeline");
                        }
                        Add("execute", r.Duration);
                    }
                }, () => "user still running", ct);
            }
            catch (ActionableException e)
            {
                errors.Add($"user {i + 1}, {step}, after {total.Elapsed.TotalSeconds:0.0} s: {e.What.Split('\n')[0]}{(e.InnerException is null ? "" : $" ({e.InnerException.GetType().Name}: {e.InnerException.Message})")}");
            }
            finally
            {
                if (student is not null)
                {
                    var stop = Stopwatch.StartNew();
                    await student.DisposeAsync();
                    Add("stop", stop.Elapsed);
                }
                Add("user-total", total.Elapsed);
            }
        }));
        string[] order = ["spawn", "kernel-ready", "execute", "stop", "user-total"];
        return new LoadResult(users, executions,
            order.Where(steps.ContainsKey).Select(s => new StepSamples(s, steps[s].Select(d => d.TotalMilliseconds).ToList())).ToList(),
            [.. errors.Order()], wall.Elapsed);
    }
}
