using KernelRegression.Faults;

namespace KernelRegression.Suite.Faults;

/// <summary>Start of class on the process tier: many students at once (KR_CROWD, default 10), all must pass.</summary>
[Collection(nameof(ProcessFaults))]
public sealed class ProcessCrowdTests(ProcessTier tier)
{
    [Fact]
    public async Task ACrowdOfStudentsAllGetWorkingKernels()
    {
        var crowd = await Crowd.ArriveAsync(tier.Hub, Crowd.DefaultSize, null, TestContext.Current.CancellationToken);

        TestContext.Current.AddAttachment("crowd", string.Join('\n', crowd));
        crowd.Should().HaveCount(Crowd.DefaultSize).And.OnlyContain(m => m.Error == null);
    }
}
