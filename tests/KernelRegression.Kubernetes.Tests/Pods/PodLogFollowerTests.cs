using KernelRegression.Kubernetes.Pods;
using KernelRegression.Kubernetes.Chart;

namespace KernelRegression.Kubernetes.Tests.Pods;

/// <summary>
/// The log follower driven through the real KubernetesClient against a pod's successive states:
/// KubeSpawner pods have restartPolicy OnFailure, so a server that dies comes back in the same pod.
/// </summary>
public sealed class PodLogFollowerTests
{
    private const string A = "containerd://a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1";
    private const string B = "containerd://b2b2b2b2b2b2b2b2b2b2b2b2b2b2b2b2b2b2b2b2b2b2b2b2b2b2b2b2b2b2b2b2";
    private const string C = "containerd://c3c3c3c3c3c3c3c3c3c3c3c3c3c3c3c3c3c3c3c3c3c3c3c3c3c3c3c3c3c3c3c3";

    private static PodLogFollower Follow(FakeKubeApi fake, k8s.IKubernetes api)
    {
        var pods = new UserPods(api, "kr", KubeSpawnerNaming.For("7.0.0"), readUser: null);
        return new PodLogFollower(api, "kr", pods.Target("student-1a2b3c4d", ""), "notebook", new LogTail("pod"), watchTimeout: TimeSpan.FromSeconds(1));
    }

    private static List<string> Lines(LogTail tail) => tail.LinesSince(0).Where(l => !l.StartsWith("[kr]", StringComparison.Ordinal)).ToList();

    [Fact]
    public async Task ItFollowsTheServerAgainAfterItsContainerRestartsInTheSamePod()
    {
        // Given a pod whose container is created, runs, is OOM-killed and runs again (restart 1)
        using var fake = new FakeKubeApi("ks7-pod-creating.json", "ks7-pod-running.json", "ks7-pod-restarted-oomkilled.json")
            .WithLog(A, "2026-11-24T10:00:04.000000001Z [I ServerApp] first run up", "2026-11-24T10:00:05.5Z [W KernelRestarter] restarting kernel (1/5)")
            .WithLog(B, "2026-11-24T10:01:06.123456789Z [I ServerApp] second run up");
        using var api = fake.Client();

        // When its log is followed
        using var follower = Follow(fake, api);
        await follower.Tail.WaitForLineAsync(l => l.Contains("second run up", StringComparison.Ordinal), 0, TestContext.Current.CancellationToken).WaitAsync(TimeSpan.FromSeconds(20), TestContext.Current.CancellationToken);

        // Then both runs are in the tail, each line once, in order, with the restart said
        Lines(follower.Tail).Should().Equal("[I ServerApp] first run up", "[W KernelRestarter] restarting kernel (1/5)", "[I ServerApp] second run up");
        follower.Tail.LinesSince(0).Should().Contain("[kr] following jupyter-student-1a2b3c4d/notebook (restart 1)");
        fake.Requests.Should().Contain(r => r.Contains("/log?", StringComparison.Ordinal) && r.Contains("previous=true", StringComparison.Ordinal),
            "the run that ended is read to its end with previous=true");
    }

    [Fact]
    public async Task AWaitingToStartAnswerIsRetriedOnTheSamePod()
    {
        // Given a pod the API says is running, whose log the API first answers "is waiting to start"
        using var fake = new FakeKubeApi("ks7-pod-running.json", "ks7-pod-running.json")
            .WithLog(A, "2026-11-24T10:00:04Z [I ServerApp] up at last");
        fake.LogSaysWaiting.Add(0);
        using var api = fake.Client();

        // When its log is followed
        using var follower = Follow(fake, api);
        await follower.Tail.WaitForLineAsync(l => l.Contains("up at last", StringComparison.Ordinal), 0, TestContext.Current.CancellationToken).WaitAsync(TimeSpan.FromSeconds(20), TestContext.Current.CancellationToken);

        // Then the pod was not given up: after the next change it is followed
        fake.Requests.Count(r => r.Contains("/log?", StringComparison.Ordinal)).Should().BeGreaterThanOrEqualTo(2);
        Lines(follower.Tail).Should().Equal("[I ServerApp] up at last");
    }

    [Fact]
    public async Task ARunThatCrashedBeforeItWasFollowedIsReadFromThePreviousLog()
    {
        // Given a pod in CrashLoopBackOff: the run that crashed is over before anyone followed it
        using var fake = new FakeKubeApi("ks7-pod-crashloop.json")
            .WithLog(C, "2026-11-24T10:00:03.9Z Traceback (most recent call last):", "2026-11-24T10:00:04Z ModuleNotFoundError: No module named 'jupyterhub'");
        using var api = fake.Client();

        using var follower = Follow(fake, api);
        await follower.Tail.WaitForLineAsync(l => l.Contains("ModuleNotFoundError", StringComparison.Ordinal), 0, TestContext.Current.CancellationToken).WaitAsync(TimeSpan.FromSeconds(20), TestContext.Current.CancellationToken);

        Lines(follower.Tail).Should().Equal("Traceback (most recent call last):", "ModuleNotFoundError: No module named 'jupyterhub'");
    }

    [Theory]
    [InlineData("2026-11-24T10:00:04.123456789Z hello world", "hello world", true)]
    [InlineData("2026-11-24T10:00:04Z ", "", true)]
    [InlineData("no timestamp here", "no timestamp here", false)]
    public void ATimestampedLineIsSplitIntoItsTimeAndText(string raw, string text, bool stamped)
    {
        var (at, line) = PodLogFollower.SplitTimestamp(raw);

        line.Should().Be(text);
        (at is not null).Should().Be(stamped);
    }
}
