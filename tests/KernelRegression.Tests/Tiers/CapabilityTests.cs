using KernelRegression.Tiers.Docker;
using KernelRegression.Tiers.Existing;
using KernelRegression.Tiers.Process;
using static KernelRegression.Tests.Diagnosis.DiagnosisScenarios;

namespace KernelRegression.Tests.Tiers;

/// <summary>What each tier can do is declared, discoverable without exceptions, and shown in the report.</summary>
public sealed class CapabilityTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("kr-capability-tests-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    private static CapabilityRow Row(IReadOnlyList<CapabilityRow> table, string name) => table.Single(r => r.Capability.Name == name);

    [Fact]
    public void TheProcessTierOffersItsFaultsAndSaysWhyNotPauseOrPartition()
    {
        var table = Capabilities.Table(typeof(ProcessHub), ProcessHub.Missing);

        Row(table, "signal-kernel").Offered.Should().BeTrue();
        Row(table, "restart-hub").Offered.Should().BeTrue();
        Row(table, "watch-kernel-process").Offered.Should().BeTrue();
        Row(table, "pause-server").Should().Match<CapabilityRow>(r => !r.Offered && r.WhyNot!.Contains("no containers"));
        Row(table, "network-partition").Should().Match<CapabilityRow>(r => !r.Offered && r.WhyNot!.Contains("loopback"));
    }

    [Fact]
    public void TheDockerTierOffersPauseAndPartitionButNoPods()
    {
        var table = Capabilities.Table(typeof(DockerHub), DockerHub.Missing);

        table.Where(r => r.Capability.Name != "delete-pod").Should().OnlyContain(r => r.Offered);
        Row(table, "delete-pod").WhyNot.Should().Contain("containers, not pods");
    }

    [Fact]
    public void AnExistingHubOffersNothingButItsApiAndEveryGapHasAReason()
    {
        var table = Capabilities.Table(typeof(ExistingHub), ExistingHub.Missing);

        table.Should().OnlyContain(r => !r.Offered && !string.IsNullOrWhiteSpace(r.WhyNot) && r.WhyNot != "not offered");
    }

    [Fact]
    public void EveryTierGivesAReasonForEachCapabilityItLacks()
    {
        foreach (var (type, missing) in new[] { (typeof(ProcessHub), ProcessHub.Missing), (typeof(DockerHub), DockerHub.Missing), (typeof(ExistingHub), ExistingHub.Missing) })
        {
            Capabilities.Table(type, missing).Where(r => !r.Offered).Should().OnlyContain(r => r.WhyNot != "not offered", $"{type.Name} must say why");
        }
    }

    [Fact]
    public void TheHtmlReportShowsTheTiersCapabilityTable()
    {
        RunReport.Write(_folder, "r", "process", [Report(Healthy)], TimeSpan.FromSeconds(1), Capabilities.Table(typeof(ProcessHub), ProcessHub.Missing));

        var html = File.ReadAllText(Path.Combine(_folder, "report.html"));
        html.Should().Contain("What the process tier can do").And.Contain("data-capability=\"pause-server\"").And.Contain("the process tier has no containers to pause");
        File.ReadAllText(Path.Combine(_folder, "report.json")).Should().Contain("\"name\": \"network-partition\"");
    }

    [Fact]
    public void EveryCheckIsFoundByTypeAndTheStandardOnesResolveInOrder()
    {
        CheckCatalog.All.Select(c => c.Name).Should().Contain(CheckCatalog.Standard).And.OnlyHaveUniqueItems();
        CheckCatalog.Resolve(CheckCatalog.Standard).Select(c => c.Name).Should().Equal(CheckCatalog.Standard);
        CheckCatalog.NonDestructive(CheckCatalog.All).Select(c => c.Name).Should().NotContain(["interrupt", "restart"]);
    }

    [Fact]
    public void AnUnknownCheckNameListsTheKnownOnes()
    {
        var act = () => CheckCatalog.Resolve(["kernel-starts", "kernel-sings"]);

        act.Should().Throw<HarnessException>().Which.Message.Should().Contain("kernel-sings").And.Contain("kernelspecs");
    }
}
