using k8s;
using System.Text.Json.Nodes;
using KernelRegression.Kubernetes.Pods;
using KernelRegression.Kubernetes.Chart;

namespace KernelRegression.Kubernetes.Tests.Pods;

/// <summary>Finding a student's pod through the real KubernetesClient, on each KubeSpawner version's pod and label forms.</summary>
public sealed class UserPodsTests
{
    private const string User = "student-1a2b3c4d";

    private static Func<string, CancellationToken, Task<JsonObject?>> Hub(string file) =>
        (_, _) => Task.FromResult<JsonObject?>(ApiObjects.Object(file));

    /// <summary>The pod found for <paramref name="user"/> on an API server holding <paramref name="podState"/>, and the requests the lookup made.</summary>
    private static async Task<(FoundPod? Found, IReadOnlyList<string> Requests)> FindAsync(string podState, string kubespawner, string? hubUser, string user = User)
    {
        using var fake = new FakeKubeApi(podState);
        using var api = fake.Client();
        var pods = new UserPods(api, "kr", KubeSpawnerNaming.For(kubespawner), hubUser is null ? null : Hub(hubUser));

        var found = await pods.FindAsync(user, "", TestContext.Current.CancellationToken);
        return (found, [.. fake.Requests]);
    }

    [Theory]
    [InlineData("6.2.0", "ks6-pod-running.json", "hub-user-ks6.json", "jupyter-student-2d1a2b3c4d")]
    [InlineData("7.0.0", "ks7-pod-running.json", "hub-user-ks7.json", "jupyter-student-1a2b3c4d")]
    public async Task ThePodIsTheOneTheHubsServerStateNames(string kubespawner, string pod, string hubUser, string name)
    {
        // Given a KubeSpawner pod and the hub's user model, whose server state holds pod_name
        // When the student's pod is looked up
        var (found, requests) = await FindAsync(pod, kubespawner, hubUser);

        // Then it is read by that name, no selector needed
        found!.Pod.Metadata.Name.Should().Be(name);
        found.FoundBy.Should().Contain("server state").And.Contain(name);
        requests.Should().Equal($"GET /api/v1/namespaces/kr/pods/{name}");
    }

    [Theory]
    [InlineData("6.2.0", "ks6-pod-running.json", "jupyter-student-2d1a2b3c4d", "hub.jupyter.org/username=student-2d1a2b3c4d")]
    [InlineData("7.0.0", "ks7-pod-running.json", "jupyter-student-1a2b3c4d", "hub.jupyter.org/username=student-1a2b3c4d")]
    public async Task WithoutTheHubTheVersionsOwnLabelEscapingFindsThePod(string kubespawner, string pod, string name, string label)
    {
        var (found, requests) = await FindAsync(pod, kubespawner, hubUser: null);

        found!.Pod.Metadata.Name.Should().Be(name);
        requests.Should().ContainSingle().Which.Should().Contain(label).And.Contain("hub.jupyter.org/servername=");
    }

    [Fact]
    public async Task TheRawUserNameSelectsNothingOnKubeSpawner6()
    {
        // The selector the tier used before it followed KubeSpawner's escaping: the user name as typed. KubeSpawner 6.2.0 labels student-2d1a2b3c4d.
        using var fake = new FakeKubeApi("ks6-pod-running.json");
        using var api = fake.Client();

        var pods = await api.CoreV1.ListNamespacedPodAsync("kr", labelSelector: $"component=singleuser-server,hub.jupyter.org/username={User}",
            cancellationToken: TestContext.Current.CancellationToken);

        pods.Items.Should().BeEmpty();
    }

    [Fact]
    public async Task APodTheHubStillNamesButThatIsGoneFallsBackToTheLabels()
    {
        // The hub remembers jupyter-student-2d1a2b3c4d; the API server has only the KubeSpawner 7 pod.
        var (found, requests) = await FindAsync("ks7-pod-running.json", "7.0.0", "hub-user-ks6.json");

        found!.Pod.Metadata.Name.Should().Be("jupyter-student-1a2b3c4d");
        found.FoundBy.Should().Contain("KubeSpawner 7.0.0 labels");
        requests.Should().HaveCount(2);
    }

    [Fact]
    public async Task AUserWithoutAPodIsNoneRatherThanAnError()
    {
        (await FindAsync("ks7-pod-running.json", "7.0.0", hubUser: null, user: "student-ffffffff")).Found.Should().BeNull();
    }
}
