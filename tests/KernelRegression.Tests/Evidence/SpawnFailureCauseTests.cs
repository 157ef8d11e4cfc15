using System.Net;
using System.Text;

namespace KernelRegression.Tests.Evidence;

/// <summary>
/// A spawn that fails fast, against a stand-in hub that answers the POST with a 500 before the follow of
/// its log has delivered what it wrote just before (the dead server's traceback): a loaded machine. The
/// cause must still come from the server's last words, not the hub's generic message.
/// </summary>
public sealed class SpawnFailureCauseTests : IAsyncDisposable
{
    private const string LastWords = "FileNotFoundError: [Errno 2] No such file or directory: '/proc/kr-runtime'";
    private readonly LocalHttpServer _hub;
    private readonly StandInHub _deployment;

    public SpawnFailureCauseTests()
    {
        _hub = new LocalHttpServer(AnswerAsync);
        _deployment = new StandInHub(_hub.Url);
        _deployment.HubLog.Append("[I 2026-12-01 01:23:00.000 JupyterHub app:3000] JupyterHub is now running at http://:8000");
    }

    [Fact]
    public async Task TheServersLastWordsArriveAfterTheHubsAnswerAndAreStillTheCause()
    {
        var spawn = () => Student.SpawnAsync(_deployment, TestContext.Current.CancellationToken, name: "alice");

        var failure = (await spawn.Should().ThrowAsync<SpawnFailedException>()).Which;

        failure.Cause.Should().Be(LastWords);
    }

    private async Task AnswerAsync(HttpListenerContext context, CancellationToken ct)
    {
        var request = context.Request;
        var spawn = request.HttpMethod == "POST" && request.Url!.AbsolutePath == "/hub/api/users/alice/server";
        context.Response.StatusCode = spawn ? 500 : request.HttpMethod == "POST" ? 201 : 204;
        context.Response.ContentType = "application/json";
        var body = spawn ? """{"status": 500, "message": "Spawner failed to start [status=1]. The logs for alice may contain details."}""" : "{}";
        await context.Response.OutputStream.WriteAsync(Encoding.UTF8.GetBytes(body), ct);
        context.Response.Close();
        if (spawn)
        {
            // The log follower is behind: the lines the hub wrote before answering arrive after its answer.
            await Task.Delay(TimeSpan.FromMilliseconds(400), ct);
            foreach (var line in new[]
            {
                "[W 2026-12-01 01:23:53.453 JupyterHub kr_container_spawner:494] Container kr-run-alice (4da9c0f8fd3c) for alice exited: status=exited exit code=1; last 40 log lines:",
                "    Traceback (most recent call last):",
                "      File \"/usr/bin/jupyterhub-singleuser\", line 33, in <module>",
                "    " + LastWords,
                "[W 2026-12-01 01:23:53.453 JupyterHub web:1895] 500 POST /hub/api/users/alice/server (172.23.0.1): Spawner failed to start [status=1].",
                "[E 2026-12-01 01:23:53.454 JupyterHub log:192] 500 POST /hub/api/users/alice/server (kr-harness@172.23.0.1) 10024.14ms",
            })
            {
                _deployment.HubLog.Append(line);
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _hub.DisposeAsync();
        await _deployment.DisposeAsync();
    }

    /// <summary>A hub the harness talks to over HTTP and whose log it follows (fed by the test).</summary>
    private sealed class StandInHub(Uri url) : IHubDeployment
    {
        private readonly LogTail _serverLog = new("server");

        public TierName Tier => TierName.Process;
        public Uri HubUrl { get; } = url;
        public HubClient Hub { get; } = new(url, "t");
        public string HubVersion => "5.3.0";
        public LogTail HubLog { get; } = new("hub");
        public string RunId => "test";
        public IReadOnlyDictionary<Type, string> Lacks { get; } = new Dictionary<Type, string>();

        public LogTail ServerLog(string user, string serverName = "") => _serverLog;

        public ValueTask DisposeAsync()
        {
            Hub.Dispose();
            HubLog.Dispose();
            _serverLog.Dispose();
            return ValueTask.CompletedTask;
        }
    }
}
