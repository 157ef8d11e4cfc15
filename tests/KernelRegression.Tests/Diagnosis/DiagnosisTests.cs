using KernelRegression.Diagnosis;
using static KernelRegression.Tests.Diagnosis.DiagnosisScenarios;

namespace KernelRegression.Tests.Diagnosis;

public sealed class DiagnosisTests
{
    private readonly ITestOutputHelper _output = TestContext.Current.TestOutputHelper!;

    [Fact]
    public void TheIncidentAgainstTheSameImageLaunchedByDefaultNamesTheServerAsPid1AndTheKernelsParent()
    {
        // Given the pre-#233 image under the command launch, and the same image launched by default
        // When
        var d = Diagnose(Incident, PrePr233Default);

        // Then
        TopThreeKeys(d).Should().Contain(["proc.kernel.ppid", "proc.server.pid"]);
        d.Items[0].Failing.Should().Be("1 (PID 1)");
        d.Items[0].Passing.Should().Be("7 (the server)");
        d.Items.Should().Contain(i => i.Key == "profile.command" && i.Passing == "null");
    }

    [Fact]
    public void TheIncidentAgainstTheFixedImageLaunchedTheSameWayNamesTheKernelPatch()
    {
        // Given both cells run the server as PID 1; only the kernel differs
        var d = Diagnose(Incident, PatchedSameProfile);

        // Then the process tree is not blamed (it is the same), the kernel patch is
        TopThreeKeys(d).Should().Contain("versions.kernel_patch");
        d.Items.Should().NotContain(i => i.Key.StartsWith("proc.", StringComparison.Ordinal));
        d.Items.Should().Contain(i => i.Kind == "log" && i.Failing!.Contains("Parent appears to have exited"));
    }

    [Fact]
    public void AWholeIncidentRunComparesWithTheCellThatChangesLeast()
    {
        // Given the incident row of the default matrix: two images x three profiles
        var run = new[] { Healthy, PatchedSameProfile, DockerInit, PrePr233Default, Incident }
            .Select(id => Report(id, id == Incident, "server is PID 1")).ToList();

        // When
        var d = Diagnostician.Run(run)[Incident];

        // Then: one axis away either way, but the fixed image under the same launch differs in fewer facts
        d.ComparedWith.Should().Be(PatchedSameProfile);
        d.Items[0].Key.Should().Be("versions.kernel_patch");
    }

    [Fact]
    public void AMemoryLimitKillNamesTheOomKillAndTheLimit()
    {
        var d = Diagnose(OutOfMemory, Healthy, DockerInit, TrixieHealthy);

        d.ComparedWith.Should().Be(Healthy);
        TopThreeKeys(d).Should().Contain(["container.oom_killed", "container.exit_code", "profile.mem_limit"]);
        d.Items.Single(i => i.Key == "profile.mem_limit").Should().Match<DiagnosisItem>(i => i.Failing == "64M" && i.Passing == "1G");
    }

    [Fact]
    public void AKernelThatCannotImportIpykernelIsExplainedByItsOwnLogLine()
    {
        var d = Diagnose(BrokenKernelspec, TrixieHealthy, Healthy);

        d.ComparedWith.Should().Be(TrixieHealthy);
        d.Top(3).Should().Contain(i => i.Kind == "log" && i.Failing == "ModuleNotFoundError: No module named 'ipykernel'");
        // Evidence the dead kernel could not give (its pid) is a consequence and ranks below its log.
        d.Items.Single(i => i.Key == "proc.kernel.ppid").Rank.Should().BeGreaterThan(3);
        // Repeated lines count once; lines also in the passing log do not count at all.
        d.Items.Count(i => i.Failing == "ModuleNotFoundError: No module named 'ipykernel'").Should().Be(1);
        d.Items.Should().NotContain(i => i.Failing != null && i.Failing.Contains("Kernel started", StringComparison.Ordinal));
    }

    [Fact]
    public void CellsThatDifferOnlyInPidsUserNamesAndTimesHaveNothingToReport()
    {
        // Healthy and PrePr233Default differ in the image; these two differ in nothing that matters
        var a = Cell(Healthy);
        var server = a.Evidence.Server;
        var b = a with
        {
            Cell = a.Cell with { Scenario = "again" },
            Checks = [KernelRegression.Checks.CheckOutcome.Fail("kernel-starts", TimeSpan.Zero, "x")],
            Evidence = a.Evidence with
            {
                Server = server with
                {
                    Processes = new ProcessTree([.. server.Processes!.Rows.Select(r => r.IsKernel ? r with { Pid = 48 } : r)]),
                    Environment = server.Environment.ToDictionary(e => e.Key, e => e.Value.Replace("07e1e1d7", "ffe0a112", StringComparison.Ordinal)),
                },
                ServerLog = [.. a.Evidence.ServerLog.Select(l => l.Replace("07e1e1d7", "ffe0a112", StringComparison.Ordinal))],
            },
        };

        Diagnostician.Diagnose(b, [a, b]).Items.Should().BeEmpty();
    }

    [Fact]
    public void WithNoPassingCellThereIsNothingToCompareWith()
    {
        var d = Diagnose(Incident);

        d.ComparedWith.Should().BeNull();
        d.Text().Should().Contain("no passing cell");
    }

    private CellDiagnosis Diagnose(string failing, params string[] passing)
    {
        var d = Diagnostician.Diagnose(Cell(failing), [Cell(failing), .. passing.Select(Cell)]);
        _output.WriteLine(d.Text());
        return d;
    }

    private static IEnumerable<string> TopThreeKeys(CellDiagnosis d) => d.Top(3).Select(i => i.Key);
}
