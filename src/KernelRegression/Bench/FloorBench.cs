using System.Diagnostics;
using System.Text.Json.Nodes;
using KernelRegression.Jupyter;
using KernelRegression.Tiers;
using KernelRegression.Students;

namespace KernelRegression.Bench;

/// <summary>How many of each measurement a floor bench takes.</summary>
public sealed record FloorBenchOptions(int Rounds = 3, int KernelsPerRound = 5, int Executions = 50, int Warmup = 5, bool KillDetect = true);

/// <summary>What the floor bench measured: per step the harness beside the raw floor, and time-to-detect.</summary>
public sealed record FloorBenchResult(IReadOnlyList<StepComparison> Steps, StepSamples? DetectHarness, StepSamples? DetectRaw, IReadOnlyList<string> DetectSources);

/// <summary>
/// The harness against the raw floor on one deployment, like with like: the same hub, the same
/// single-user server and kernelspec for kernel starts, the same kernel for executions, measured
/// alternately (harness, raw, harness, …) after a warm-up so neither side gets the cold start or
/// the drift. Spawn and stop use two users of the same hub, in alternating order per round.
/// </summary>
public sealed class FloorBench(IHubDeployment deployment, string hubToken, JsonObject? userOptions, FloorBenchOptions options, Action<string>? log = null)
{
    private readonly List<TimeSpan> _spawnH = [], _spawnR = [], _readyH = [], _readyR = [], _execH = [], _execR = [], _stopH = [], _stopR = [], _detectH = [], _detectR = [];
    private readonly Dictionary<string, (List<TimeSpan> Harness, List<TimeSpan> Raw)> _parts = new()
    {
        ["kernel-start"] = ([], []), ["kernel-connect"] = ([], []), ["kernel-info"] = ([], []),
    };
    private readonly List<string> _sources = [];

    public async Task<FloorBenchResult> RunAsync(CancellationToken ct)
    {
        using var raw = new RawHub(deployment.HubUrl, hubToken);
        for (var round = 0; round < options.Rounds; round++)
        {
            await Deadline.RunAsync($"bench round {round + 1}", Deadline.Of(300), t => RoundAsync(raw, round, t), () => "round running", ct);
            log?.Invoke($"round {round + 1}/{options.Rounds}: spawn {Ms(_spawnH)}/{Ms(_spawnR)} ms, kernel ready {Ms(_readyH)}/{Ms(_readyR)} ms, execute {Ms(_execH)}/{Ms(_execR)} ms (harness/raw medians so far)");
        }
        return new FloorBenchResult(
        [
            new("spawn", StepSamples.Of("spawn", _spawnH), StepSamples.Of("spawn", _spawnR)),
            new("kernel-ready", StepSamples.Of("kernel-ready", _readyH), StepSamples.Of("kernel-ready", _readyR)),
            .. _parts.Select(p => new StepComparison("  " + p.Key, StepSamples.Of(p.Key, p.Value.Harness), StepSamples.Of(p.Key, p.Value.Raw))),
            new("execute", StepSamples.Of("execute", _execH), StepSamples.Of("execute", _execR)),
            new("stop", StepSamples.Of("stop", _stopH), StepSamples.Of("stop", _stopR)),
        ], _detectH.Count == 0 ? null : StepSamples.Of("detect", _detectH), _detectR.Count == 0 ? null : StepSamples.Of("detect", _detectR), _sources);
    }

    private static string Ms(List<TimeSpan> s) => s.Count == 0 ? "-" : StepSamples.Of("", s).P50.ToString("0", System.Globalization.CultureInfo.InvariantCulture);

    private async Task RoundAsync(RawHub raw, int round, CancellationToken ct)
    {
        var harnessFirst = round % 2 == 0;
        var rawUser = Student.NewName("bench-raw");
        await raw.CreateUserAsync(rawUser, ct);
        Student? student = null;
        try
        {
            // Spawn: two users of the same hub, order alternating per round.
            async Task SpawnHarness() => student = await Student.SpawnAsync(deployment, ct, name: Student.NewName("bench-h"), userOptions: userOptions);
            async Task SpawnRaw() => _spawnR.Add(await TimeAsync(() => raw.SpawnAsync(rawUser, userOptions, ct)));
            await (harnessFirst ? SpawnHarness() : SpawnRaw());
            await (harnessFirst ? SpawnRaw() : SpawnHarness());
            _spawnH.Add(student!.Timings["spawn"]!.Value);

            // Kernel ready: POST kernel → channels open → kernel_info reply and idle, on the same server, alternating.
            var userToken = student.Server.Token;
            KernelConnection? kernel = null;
            for (var k = 0; k < options.KernelsPerRound; k++)
            {
                async Task ReadyHarness()
                {
                    var sw = Stopwatch.StartNew();
                    var c = await student.StartKernelAsync(ct);
                    _readyH.Add(sw.Elapsed);
                    // The harness' own breakdown of the same start (Student's step timings).
                    _parts["kernel-start"].Harness.Add(student.Timings["kernel-start"]!.Value);
                    _parts["kernel-connect"].Harness.Add(student.Timings["kernel-connect"]!.Value);
                    _parts["kernel-info"].Harness.Add(student.Timings["kernel-ready"]!.Value);
                    if (kernel is not null)
                    {
                        await student.Server.DeleteKernelAsync(kernel.KernelId, ct);
                    }
                    kernel = c;
                }
                async Task ReadyRaw()
                {
                    var sw = Stopwatch.StartNew();
                    var id = await raw.StartKernelAsync(student.Name, userToken, ct);
                    var posted = sw.Elapsed;
                    await using var channel = await RawKernelChannel.OpenAsync(deployment.HubUrl, student.Name, id, userToken, ct);
                    var opened = sw.Elapsed;
                    await channel.KernelInfoAsync(ct);
                    _readyR.Add(sw.Elapsed);
                    _parts["kernel-start"].Raw.Add(posted);
                    _parts["kernel-connect"].Raw.Add(opened - posted);
                    _parts["kernel-info"].Raw.Add(sw.Elapsed - opened);
                    await student.Server.DeleteKernelAsync(id, ct);
                }
                await ((harnessFirst ^ (k % 2 == 1)) ? ReadyHarness() : ReadyRaw());
                await ((harnessFirst ^ (k % 2 == 1)) ? ReadyRaw() : ReadyHarness());
            }

            // Execute 1+1: the same kernel through both clients, alternating, after a warm-up of each.
            await using var rawChannel = await RawKernelChannel.OpenAsync(deployment.HubUrl, student.Name, kernel!.KernelId, userToken, ct);
            for (var i = 0; i < options.Warmup; i++)
            {
                await kernel.ExecuteAsync("1+1", Deadline.Of(10), ct);
                await rawChannel.ExecuteAsync("1+1", ct);
            }
            var perRound = (int)Math.Ceiling(options.Executions / (double)options.Rounds);
            for (var i = 0; i < perRound; i++)
            {
                if ((i % 2 == 0) == harnessFirst)
                {
                    _execH.Add((await kernel.ExecuteAsync("1+1", Deadline.Of(10), ct)).Duration);
                    _execR.Add(await TimeAsync(() => rawChannel.ExecuteAsync("1+1", ct)));
                }
                else
                {
                    _execR.Add(await TimeAsync(() => rawChannel.ExecuteAsync("1+1", ct)));
                    _execH.Add((await kernel.ExecuteAsync("1+1", Deadline.Of(10), ct)).Duration);
                }
            }

            if (options.KillDetect)
            {
                await DetectAsync(kernel, rawChannel, ct);
            }

            // Stop: DELETE the server and wait until the hub lists none, order alternating.
            async Task StopHarness() => _stopH.Add(await TimeAsync(() => StopWithHarnessAsync(student.Name, ct)));
            async Task StopRaw() => _stopR.Add(await TimeAsync(() => raw.StopAsync(rawUser, ct)));
            await (harnessFirst ? StopHarness() : StopRaw());
            await (harnessFirst ? StopRaw() : StopHarness());
        }
        finally
        {
            if (student is not null)
            {
                await student.DisposeAsync();
            }
            using var cleanup = new CancellationTokenSource(Deadline.Of(20));
            await raw.StopAsync(rawUser, cleanup.Token);
            await raw.DeleteUserAsync(rawUser, cleanup.Token);
        }
    }

    /// <summary>SIGKILL the kernel; time until the harness' lifecycle event, and until the raw socket sees the status.</summary>
    private async Task DetectAsync(KernelConnection kernel, RawKernelChannel rawChannel, CancellationToken ct)
    {
        var pid = KernelProcess.Find(kernel.KernelId);
        var seen = new TaskCompletionSource<(TimeSpan, string)>(TaskCreationOptions.RunContinuationsAsynchronously);
        var sw = new Stopwatch();
        kernel.Lifecycle += e => seen.TrySetResult((sw.Elapsed, $"{e.Kind}: {e.Source}"));
        var rawSeen = Task.Run(async () => { await rawChannel.WaitForDeathAsync(ct); return sw.Elapsed; }, ct);
        sw.Start();
        KernelProcess.Kill(pid);
        var (harness, source) = await seen.Task.WaitAsync(Deadline.Of(15), ct);
        var rawAt = await rawSeen.WaitAsync(Deadline.Of(15), ct);
        _detectH.Add(harness);
        _detectR.Add(rawAt);
        _sources.Add(source);
    }

    private async Task StopWithHarnessAsync(string user, CancellationToken ct)
    {
        await deployment.Hub.StopServerAsync(user, "", ct);
        await Deadline.RunAsync($"{user}'s server to stop", Deadline.Of(30), async t =>
        {
            while ((await deployment.Hub.GetUserAsync(user, t))?["servers"]?[""] is not null)
            {
                await Task.Delay(50, t);
            }
        }, () => "server still listed", ct);
    }

    private static async Task<TimeSpan> TimeAsync(Func<Task> body)
    {
        var sw = Stopwatch.StartNew();
        await body();
        return sw.Elapsed;
    }
}
