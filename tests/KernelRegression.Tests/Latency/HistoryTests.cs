namespace KernelRegression.Tests.Latency;

public sealed class HistoryTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("kr-history-tests-").FullName;

    private static readonly string[] CellIds =
    [
        "process/hub-host/img-host/profile-host",
        "docker/hub-trixie/img-bookworm/profile-default",
        "docker/hub-trixie/img-sid/profile-default",
    ];

    /// <summary>Usual times per cell (ms), with some noise per run as a loaded machine gives.</summary>
    private static Dictionary<string, double> Usual(int cell, int run) => new()
    {
        ["spawn"] = 3000 + cell * 1500 + run % 3 * 400,
        ["kernel-start"] = 1200 + run % 4 * 300,
        ["channels-open"] = 800 + run % 4 * 250,
        ["first-execute"] = 80 + run % 2 * 40,
        ["execute-p95"] = 400 + run % 3 * 100,
        ["interrupt"] = 60,
        ["restart"] = 2500 + run % 5 * 700,
        ["server-stop"] = 900 + run % 2 * 300,
    };

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    private StepHistory WrittenHistory(int runs)
    {
        var history = new StepHistory(_folder);
        for (var run = 0; run < runs; run++)
        {
            history.Append(CellIds.Select((id, cell) => new HistoryEntry($"run-{run}", DateTimeOffset.UtcNow.AddHours(run - runs), id, "passed", Usual(cell, run))));
        }
        return history;
    }

    private static CellReport Report(string id, IReadOnlyDictionary<string, double> stepsMs) =>
        new(new CellResult(SyntheticCell.Cell(id), [CheckOutcome.Pass("kernel-starts", TimeSpan.FromSeconds(1))], CellEvidence.Empty)
        {
            Latency = new CellLatency([.. stepsMs.Select(s => new StepVerdict(BudgetStep.Resolve(s.Key, "test"), TimeSpan.FromMilliseconds(s.Value), 1, null, null, null))]),
        });

    [Fact]
    public void AStepMadeFourTimesSlowerFlagsThatCellAndNoOther()
    {
        var history = WrittenHistory(runs: 10);
        var now = CellIds.Select((id, cell) =>
        {
            var steps = Usual(cell, 10);
            if (cell == 1)
            {
                steps["kernel-start"] *= 4;
            }
            return Report(id, steps);
        }).ToList();
        var recorder = new HistoryRecorder(history, new BaselineDoc(), "run-10");
        var said = new List<string>();

        var observed = recorder.Observe(now, 1, said.Add);

        recorder.Flags.Should().ContainSingle().Which.Should().Match<SlowerThanUsual>(f => f.CellId == CellIds[1] && f.Step == BudgetStep.KernelStart);
        observed.Where(r => r.Result.Latency!.SlowerThanUsual.Count > 0).Select(r => r.Result.CellId).Should().Equal(CellIds[1]);
        said.Should().ContainSingle().Which.Should().StartWith($"{CellIds[1]}: kernel ready 7.2 s: slower than usual (4.8×");
        observed.Should().OnlyContain(r => r.Result.Latency!.Recent.Count == 10);
        history.Read().Should().HaveCount(CellIds.Length * 11, "the run is appended after the comparison");
    }

    [Fact]
    public void AFlagNamesTheSlowPartTheEvidenceTells()
    {
        var history = WrittenHistory(runs: 10);
        var steps = Usual(1, 10);
        steps["server-stop"] = 7100;
        var slow = Report(CellIds[1], steps);
        var latency = slow.Result.Latency!;
        slow = slow with
        {
            Result = slow.Result with
            {
                Latency = latency with
                {
                    Steps = [.. latency.Steps.Select(v => v.Step == BudgetStep.ServerStop ? v with { Why = "the server's container did not exit within its 5 s grace" } : v)],
                },
            },
        };
        var said = new List<string>();

        new HistoryRecorder(history, new BaselineDoc(), "run-10").Observe([slow], 1, said.Add);

        said.Should().ContainSingle().Which.Should().EndWith("of the last 10 runs): the server's container did not exit within its 5 s grace");
    }

    [Fact]
    public void TheSameRunAgainIsNotSlowerThanUsual()
    {
        var history = WrittenHistory(runs: 10);
        var recorder = new HistoryRecorder(history, new BaselineDoc(), "run-10");

        recorder.Observe([.. CellIds.Select((id, cell) => Report(id, Usual(cell, 10)))], 1);

        recorder.Flags.Should().BeEmpty();
    }

    [Fact]
    public void ASmallStepThatTripledIsNotNewsUnderTheMinimumSlowdown()
    {
        var flags = Baseline.Compare(CellIds[0], [new StepMeasure(BudgetStep.FirstExecute, TimeSpan.FromMilliseconds(400), 1)],
            WrittenHistory(runs: 10).Read(), new BaselineDoc());

        flags.Should().BeEmpty("400 ms is 4x the usual 100 ms but not 2 s slower");
    }

    [Fact]
    public void ACellNeedsEnoughEarlierRunsToHaveAUsualTime()
    {
        var flags = Baseline.Compare(CellIds[0], [new StepMeasure(BudgetStep.Spawn, TimeSpan.FromSeconds(60), 1)],
            WrittenHistory(runs: 2).Read(), new BaselineDoc());

        flags.Should().BeEmpty("two runs are fewer than min_runs (3)");
    }

    [Fact]
    public void RunsThatMissedTheirExpectationDoNotMakeTheBaseline()
    {
        var history = new StepHistory(_folder);
        history.Append(Enumerable.Range(0, 5).Select(i => new HistoryEntry($"r{i}", DateTimeOffset.UtcNow, CellIds[0], "passed", new Dictionary<string, double> { ["spawn"] = 3000 })));
        history.Append(Enumerable.Range(5, 10).Select(i => new HistoryEntry($"r{i}", DateTimeOffset.UtcNow, CellIds[0], "failed", new Dictionary<string, double> { ["spawn"] = 200 })));

        var recent = Baseline.Recent(CellIds[0], history.Read(), new BaselineDoc());

        recent.Should().HaveCount(5).And.OnlyContain(e => e.Outcome == "passed");
    }

    [Fact]
    public void AStepWhoseCheckFailedOnItsOwnIsATimeToFailureNeitherComparedNorKept()
    {
        // A kernelspec that dies at start: its "kernel start" is how soon the death was seen (0.3 s, then 3.3 s).
        var history = WrittenHistory(runs: 10);
        var died = new CellReport(new CellResult(SyntheticCell.Cell(CellIds[0]), [CheckOutcome.Fail("kernel-starts", TimeSpan.FromSeconds(4), "ModuleNotFoundError")], CellEvidence.Empty)
        {
            Latency = new CellLatency(
            [
                new StepVerdict(BudgetStep.Spawn, TimeSpan.FromSeconds(3), 1, null, null, "kernel-starts", Completed: false),
                new StepVerdict(BudgetStep.KernelStart, TimeSpan.FromSeconds(60), 1, null, null, "kernel-starts", Completed: false),
            ]),
        });
        var recorder = new HistoryRecorder(history, new BaselineDoc(), "run-10");

        recorder.Observe([died], 1);

        recorder.Flags.Should().BeEmpty();
        history.Read().Should().HaveCount(CellIds.Length * 10, "nothing of that run is a latency");
    }

    [Fact]
    public void ARestartIsComparedOnlyWithRestartsThatTookTheSamePath()
    {
        // Seen on the process tier: 8 restarts of 1.3-5.4 s answered on the open channels, then 10.6 s when
        // they stayed silent and the harness waited 10 s before reconnecting.
        var history = new StepHistory(_folder);
        history.Append(Enumerable.Range(0, 8).Select(i => new HistoryEntry($"r{i}", DateTimeOffset.UtcNow, CellIds[0], "passed", new Dictionary<string, double> { ["restart"] = 1300 + i * 500 })));
        var rule = new BaselineDoc();
        StepMeasure Restart(double ms, string? mode) => new(BudgetStep.Restart, TimeSpan.FromMilliseconds(ms), 1, mode);

        Baseline.Compare(CellIds[0], [Restart(10_600, StepMeasure.Reconnected)], history.Read(), rule).Should().BeEmpty("no earlier restart reconnected");
        Baseline.Compare(CellIds[0], [Restart(10_600, null)], history.Read(), rule).Should().ContainSingle("the same path, 4x slower");

        history.Append(Enumerable.Range(8, 3).Select(i => new HistoryEntry($"r{i}", DateTimeOffset.UtcNow, CellIds[0], "passed", new Dictionary<string, double> { ["restart"] = 10_600 })
        {
            Modes = new Dictionary<string, string> { ["restart"] = StepMeasure.Reconnected },
        }));
        history.Read().TakeLast(3).Should().OnlyContain(e => e.ModeOf(BudgetStep.Restart) == StepMeasure.Reconnected, "the path survives the JSON lines");
        Baseline.Compare(CellIds[0], [Restart(45_000, StepMeasure.Reconnected)], history.Read(), rule).Should().ContainSingle("4x the reconnected ones");
    }

    [Fact]
    public void ATornLineInTheHistoryIsSkipped()
    {
        var history = WrittenHistory(runs: 2);
        File.AppendAllText(history.FilePath, "{\"run\":\"cut-sh");

        history.Read().Should().HaveCount(CellIds.Length * 2);
    }
}
