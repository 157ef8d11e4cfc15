using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using KernelRegression.Kubernetes.Pods;
using KernelRegression.Kubernetes.Chart;

namespace KernelRegression.Kubernetes.Tests.Pods;

/// <summary>
/// The kind tier's kernel process watch through the real KubernetesClient: the pod found as
/// <see cref="UserPods"/> finds it (API objects, <see cref="FakeKubeApi"/>), the watch script sent as a
/// WebSocket exec into the notebook container and its stdout demuxed (<see cref="FakeExecServer"/>,
/// which runs the command on this machine in place of the kubelet), its lines made into the kernel's
/// processes. A stand-in kernel is a process whose command line names the connection file.
/// </summary>
public sealed class PodKernelWatchTests : IDisposable
{
    private const string User = "student-1a2b3c4d";
    private const string Pod = "jupyter-student-1a2b3c4d";
    private readonly string _kernel = Guid.NewGuid().ToString();
    private readonly ConcurrentQueue<string> _log = new();
    private readonly List<Process> _started = [];

    public void Dispose()
    {
        foreach (var p in _started)
        {
            try
            {
                p.Kill();
            }
            catch (InvalidOperationException)
            {
            }
            p.Dispose();
        }
    }

    private Process StandInKernel()
    {
        var p = Process.Start(new ProcessStartInfo("sh") { ArgumentList = { "-c", "sleep 60", "x", $"/tmp/kr-watch-test/kernel-{_kernel}.json" } })!;
        _started.Add(p);
        return p;
    }

    /// <summary>The watch on this test's kernel in <see cref="User"/>'s pod, as the kind tier starts it.</summary>
    private ScriptedKernelWatch StartWatch(FakeCluster cluster, CancellationToken ct) =>
        PodKernelWatch.Start(cluster.Api, "kr", new UserPods(cluster.Api, "kr", KubeSpawnerNaming.For("7.0.0"), readUser: null), User, "", _kernel, _log.Enqueue, ct);

    /// <summary>The API server holding the pod in one state and the exec server behind it, with a client of both.</summary>
    private sealed class FakeCluster : IAsyncDisposable
    {
        public FakeCluster(string podState, HttpStatusCode? refuseExec = null)
        {
            Exec = FakeExecServer.Start(refuseExec);
            Fake = new FakeKubeApi(podState);
            Api = Fake.Client(Exec.Url);
        }

        public FakeExecServer Exec { get; }

        public FakeKubeApi Fake { get; }

        public k8s.IKubernetes Api { get; }

        public async ValueTask DisposeAsync()
        {
            Api.Dispose();
            Fake.Dispose();
            await Exec.DisposeAsync();
        }
    }

    [Fact]
    public async Task TheScriptRunsInTheNotebookContainerThroughAWebSocketExecAndAKilledKernelIsSeen()
    {
        // Given the student's running pod and a kernel process
        var ct = TestContext.Current.CancellationToken;
        await using var cluster = new FakeCluster("ks7-pod-running.json");
        var exec = cluster.Exec;
        var kernel = StandInKernel();

        // When the watch starts
        var watch = StartWatch(cluster, ct);
        var exited = new TaskCompletionSource<KernelProcessSeen>(TaskCreationOptions.RunContinuationsAsynchronously);
        watch.Exited += s => exited.TrySetResult(s);
        await Eventually(() => watch.Running is not null);

        // Then it sees the kernel, and its SIGKILL
        watch.Running!.Pid.Should().Be(kernel.Id);
        watch.Running.ParentPid.Should().Be(Environment.ProcessId);
        kernel.Kill();
        (await exited.Task.WaitAsync(TimeSpan.FromSeconds(60), ct)).Pid.Should().Be(kernel.Id);

        // And the exec was the script in container notebook, stdin open, no tty, the v4 channel protocol
        var request = exec.Requests.Should().ContainSingle().Subject;
        request.Path.Should().Be($"/api/v1/namespaces/kr/pods/{Pod}/exec");
        request.Command.Should().Equal("sh", "-c", KernelWatchScript.For(_kernel));
        request.Should().Match<ExecRequest>(r => r.Container == "notebook" && r.Stdin == "1" && r.Stdout == "1" && r.Stderr == "1" && r.Tty == "0");
        request.Protocols.Should().Contain(FakeExecServer.Protocol);
        _log.Should().Contain($"kernel watch {_kernel}: the watch script runs in pod {Pod}, container notebook");

        // And disposing the watch closes the exec, which ends the script in the container
        watch.Dispose();
        await watch.Completion.WaitAsync(TimeSpan.FromSeconds(10), ct);
        var end = await exec.EndedAsync(TimeSpan.FromSeconds(10));
        end.AfterClose.Should().NotBeNull("the script ran until the client closed the exec");
        end.ExitCode.Should().Be(143, "the script's stdin reader ended it (SIGTERM to itself) when stdin closed");
        exec.Failures.Should().BeEmpty();
    }

    [Fact]
    public async Task TheKindTierOffersTheWatchAndItsWatchKernelExecsIntoTheUsersPod()
    {
        // Given the kind tier's hub object over the fake API (the hub itself unreachable: the labels find the pod)
        var ct = TestContext.Current.CancellationToken;
        await using var cluster = new FakeCluster("ks7-pod-running.json");
        var exec = cluster.Exec;
        await using var hub = new KubernetesHub(TierName.Kind, "run1", new Uri("http://127.0.0.1:9/"), "token", cluster.Fake.Client(exec.Url), "5.3.0",
            KubeSpawnerNaming.For("7.0.0"), () => ValueTask.CompletedTask, _log.Enqueue);
        var kernel = StandInKernel();

        // When a student's code asks the tier for the capability, as Student does
        var tier = ((IHubDeployment)hub).Get<IKernelProcessWatch>();
        using var watch = tier!.WatchKernel(User, "", _kernel, ct);
        await Eventually(() => watch.Running is not null);

        // Then it is offered, and watches the kernel in the user's pod
        KubernetesHub.Missing.Should().NotContainKey(typeof(IKernelProcessWatch));
        Capabilities.Table(typeof(KubernetesHub), KubernetesHub.Missing).Single(r => r.Capability.Name == "watch-kernel-process").Offered.Should().BeTrue();
        watch.Running!.Pid.Should().Be(kernel.Id);
        exec.Requests.Should().ContainSingle().Which.Path.Should().Be($"/api/v1/namespaces/kr/pods/{Pod}/exec");
    }

    [Fact]
    public async Task APodNotYetRunningLeavesTheWatchEmptyExecsNothingAndSaysSo()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var cluster = new FakeCluster("ks7-pod-creating.json");

        using var watch = StartWatch(cluster, ct);
        await watch.Completion.WaitAsync(TimeSpan.FromSeconds(10), ct);

        watch.Seen.Should().BeEmpty();
        cluster.Exec.Requests.Should().BeEmpty();
        _log.Should().ContainSingle().Which.Should().Contain("not watched, no process exit will be seen")
            .And.Contain($"{User} has no running pod to watch the kernel in ({Pod}, phase Pending)");
    }

    [Fact]
    public async Task AnExecTheApiServerRefusesLeavesTheWatchEmptyAndSaysWhy()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var cluster = new FakeCluster("ks7-pod-running.json", refuseExec: HttpStatusCode.BadRequest);
        var died = false;

        using var watch = StartWatch(cluster, ct);
        watch.Exited += _ => died = true;
        await watch.Completion.WaitAsync(TimeSpan.FromSeconds(20), ct);

        watch.Seen.Should().BeEmpty();
        died.Should().BeFalse();
        cluster.Exec.Requests.Should().NotBeEmpty();
        _log.Should().ContainSingle().Which.Should().Contain("not watched, no process exit will be seen")
            .And.Contain($"the exec into pod {Pod}, container notebook").And.Contain("400");
    }

    private async Task Eventually(Func<bool> condition)
    {
        var deadline = Stopwatch.StartNew();
        while (!condition())
        {
            if (deadline.Elapsed > TimeSpan.FromSeconds(15))
            {
                throw new TimeoutException($"not within 15 s; the watch's log: {string.Join(" | ", _log)}");
            }
            await Task.Delay(20, TestContext.Current.CancellationToken);
        }
    }
}
