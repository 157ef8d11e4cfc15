using System.Net;
using System.Text;

namespace KernelRegression.Tests.Jupyter;

/// <summary>
/// The hub answers a request the proxy could not route (a server it thinks is running, whose route is
/// not back yet) with a redirect to the same path; the client follows that, as a browser does, and
/// nothing else.
/// </summary>
public sealed class JupyterHttpTests : IAsyncDisposable
{
    private readonly LocalHttpServer _listener;
    private readonly Uri _base;
    private int _requests;

    public JupyterHttpTests()
    {
        _listener = new LocalHttpServer((context, _) => AnswerAsync(context));
        _base = new Uri(_listener.Url, "user/alice/api/");
    }

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Theory]
    [InlineData("contents/route-back-after-2", "/user/alice/api/contents/route-back-after-2?redirects=2")] // the hub's redirect back to the same path
    [InlineData("contents/hub-prefix", "/user/alice/api/contents/hub-prefix?redirects=1")] // the hub's prefix redirect, and its redirect back
    public async Task TheHubsRedirectsAreFollowed(string path, string reached)
    {
        using var http = new JupyterHttp(_base, "t", "alice's single-user server");

        var (status, body, _) = await http.SendAsync(HttpMethod.Get, path, null, Ct, HttpStatusCode.OK);

        status.Should().Be(HttpStatusCode.OK);
        body!["path"]!.ToString().Should().Be(reached);
        _requests.Should().Be(3);
    }

    [Fact]
    public async Task ARedirectToTheLoginPageIsReportedNotFollowed()
    {
        using var http = new JupyterHttp(_base, "t", "alice's single-user server");

        var act = () => http.SendAsync(HttpMethod.Get, "contents/login", null, Ct, HttpStatusCode.OK);

        (await act.Should().ThrowAsync<JupyterApiException>()).Which.StatusCode.Should().Be(302);
        _requests.Should().Be(1);
    }

    [Fact]
    public async Task ARouteThatNeverComesBackEndsAfterAFewRoundTrips()
    {
        using var http = new JupyterHttp(_base, "t", "alice's single-user server");

        var act = () => http.SendAsync(HttpMethod.Get, "contents/route-back-after-99", null, Ct, HttpStatusCode.OK);

        (await act.Should().ThrowAsync<JupyterApiException>()).Which.Message.Should().Contain("302");
        _requests.Should().Be(6);
    }

    private async Task AnswerAsync(HttpListenerContext context)
    {
        Interlocked.Increment(ref _requests);
        var url = context.Request.Url!;
        var hops = int.TryParse(context.Request.QueryString["redirects"], out var n) ? n : 0;
        var last = url.AbsolutePath.Split('/')[^1];
        var response = context.Response;
        if (last == "hub-prefix" && !url.AbsolutePath.StartsWith("/hub/", StringComparison.Ordinal) && hops == 0)
        {
            // The hub, asked for a server's path the proxy could not route: try it as the hub's.
            response.StatusCode = 302;
            response.RedirectLocation = "/hub" + url.AbsolutePath;
        }
        else if (last == "hub-prefix" && url.AbsolutePath.StartsWith("/hub/", StringComparison.Ordinal))
        {
            // The hub's user handler: the server runs, so back to its own path.
            response.StatusCode = 302;
            response.RedirectLocation = url.AbsolutePath["/hub".Length..] + "?redirects=1";
        }
        else if (last == "login")
        {
            response.StatusCode = 302;
            response.RedirectLocation = "/hub/login?next=" + Uri.EscapeDataString(url.AbsolutePath);
        }
        else if (last.StartsWith("route-back-after-", StringComparison.Ordinal) && hops < int.Parse(last["route-back-after-".Length..], System.Globalization.CultureInfo.InvariantCulture))
        {
            response.StatusCode = 302;
            response.RedirectLocation = $"{url.AbsolutePath}?redirects={hops + 1}";
        }
        else
        {
            var json = Encoding.UTF8.GetBytes($$"""{"path": "{{url.PathAndQuery}}"}""");
            response.ContentType = "application/json";
            await response.OutputStream.WriteAsync(json);
        }
        response.Close();
    }

    public ValueTask DisposeAsync() => _listener.DisposeAsync();
}
