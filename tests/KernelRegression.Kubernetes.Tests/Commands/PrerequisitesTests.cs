using KernelRegression.Kubernetes.Commands;

namespace KernelRegression.Kubernetes.Tests.Commands;

public sealed class PrerequisitesTests
{
    [Fact]
    public void ARequiredTierGivesTheNodeImagePullMinutesAndAnOptionalOneSeconds()
    {
        Prerequisites.NodeImagePullDeadline(required: true).Should().BeGreaterThanOrEqualTo(TimeSpan.FromMinutes(10), "a kindest/node image is about 1 GB");
        Prerequisites.NodeImagePullDeadline(required: false).Should().BeLessThanOrEqualTo(Deadline.Of(30), "a machine without a registry skips at once");
    }
}
