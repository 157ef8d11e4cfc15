using KernelRegression.Faults;

namespace KernelRegression.Kubernetes.Tests;

/// <summary>
/// The kind tier for real: cluster, chart, KubeSpawner, the standard checks. Skips naming the missing
/// prerequisite; fails instead when KR_REQUIRE_TIER contains kind (CI). Cells: the matrix's default
/// kind cells narrowed by KR_CELLS; without KR_CELLS only the first (a cluster costs minutes).
/// </summary>
public sealed class KindLiveTests
{
    /// <summary>The cell the fault test runs on.</summary>
    public const string FaultCell = "kind/hub-z2jh-4/img-bookworm/profile-default";

    public static TheoryData<string> KindCells()
    {
        var filter = Settings.Cells;
        var selected = KindTier.Selected(Cells.Matrix, filter);
        var chosen = string.IsNullOrWhiteSpace(filter) ? selected.Take(1) : selected;
        return new TheoryData<string>(chosen.Select(c => c.Id));
    }

    [Theory(SkipTestWithoutData = true)]
    [MemberData(nameof(KindCells))]
    [RequiresTier(typeof(KindTierProbe))]
    public async Task KindCellMeetsItsExpectedOutcome(string cellId)
    {
        var ct = TestContext.Current.CancellationToken;
        var cell = Cells.Matrix.CellById(cellId);

        await using var run = Run.Start();
        await using var tier = new KindTier(run);
        await using var matrixRun = new Runs.MatrixRun(tier, [cell], CheckOptions.Default, 1);
        var report = await matrixRun.Result(cell).WaitAsync(ct);

        foreach (var (name, text) in EvidenceFiles.Of(report.Result.Evidence))
        {
            TestContext.Current.AddAttachment(name, Secrets.Redact(text));
        }
        report.Outcome.Should().Be(cell.Expected.ExpectFailure ? Outcome.ExpectedFailure : Outcome.Passed, report.Judgement.Why);
    }

    /// <summary>The kind tier's faults: a SIGKILLed kernel comes back; a deleted user pod is noticed and a new spawn works.</summary>
    [Fact]
    [RequiresTier(typeof(KindTierProbe))]
    public async Task AKilledKernelComesBackAndADeletedUserPodIsRespawnedOnKind()
    {
        var ct = TestContext.Current.CancellationToken;
        var filter = Settings.Cells;
        var cell = Cells.Matrix.CellById(FaultCell);
        if (!string.IsNullOrWhiteSpace(filter) && MatrixFile.Narrow([cell], filter).Count == 0)
        {
            Assert.Skip($"KR_CELLS='{filter}' does not select {FaultCell}, the cell the fault test runs on (a cluster of its own)");
        }
        await using var run = Run.Start();
        await using var hub = await KubernetesHubBuilder.StartKindAsync(cell, Kubernetes.Plan.KindPlan.LaunchOf(cell), run, ct);
        await using var student = await Student.SpawnAsync(hub, ct);
        await using var kernel = await student.StartKernelAsync(ct);
        var killed = await FaultChecks.KillKernelAsync(student, kernel, hub, ct);
        var deleted = await FaultChecks.KillServerAsync(student, hub, ct);
        // The kind tier watches the kernel's processes from inside the pod (PodKernelWatch): the death is
        // seen when the process exits, not at the restarter's next poll, as on the local tiers.
        var kill = Judge.Fault(FaultExpectation.Of("kill-kernel"), killed);
        kill.Outcome.Should().Be(Outcome.Passed, kill.Why);
        student.KernelProcesses.Should().Contain(p => p.Lived != null, "the SIGKILLed process is recorded with its lifetime");
        // singleuser.storage is "none" in the rendered values: the home does not outlive its pod here.
        var delete = Judge.Fault(FaultExpectation.Of("kill-server") with { After = "^'respawned'" }, deleted);
        delete.Outcome.Should().Be(Outcome.Passed, delete.Why);
    }
}
