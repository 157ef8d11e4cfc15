using System.Text.Json.Nodes;
using KernelRegression.Browser;
using KernelRegression.Matrix;
using KernelRegression.Suite.Docker;
using KernelRegression.Tiers.Docker;

namespace KernelRegression.Suite.Browser;

/// <summary>The docker-tier deployment the browser tests share, and one browser student on it.</summary>
internal static class BrowserDeployment
{
    /// <summary>
    /// The "browser" hub (trixie, JupyterHub 5.2: a hub of its own, so browser students never share one
    /// with the matrix cells or the faults) and the user_options that launch the image with a front end.
    /// </summary>
    public static async Task<(DockerHub Hub, JsonObject Options)> DockerAsync(DockerTier tier, string imageName, string frontend, string? defaultUrl, CancellationToken ct)
    {
        var hub = await tier.MatrixRun.HubAsync(tier.Matrix.Hub("trixie") with { Name = "browser" }, ct);
        var image = await FrontendImage.EnsureAsync(tier.MatrixRun.Images, tier.Matrix.Image(imageName), frontend, ct);
        var profile = LaunchProfile.Resolve("default");
        if (defaultUrl is not null)
        {
            // What Zero to JupyterHub's singleuser.defaultUrl does: the server's landing page.
            profile = profile with { Env = new Dictionary<string, string>(profile.Env) { ["JUPYTERHUB_DEFAULT_URL"] = defaultUrl } };
        }
        return (hub, hub.UserOptions(image, profile));
    }

    /// <summary>Assigns the launch to the student, who then logs in and spawns through the browser.</summary>
    public static async Task<BrowserRun> StudentAsync(ChromiumHost host, DockerHub hub, Student student, JsonObject options, BrowserOptions browserOptions, CancellationToken ct)
    {
        await AssignedLaunch.AssignAsync(hub, student.Name, options, ct);
        var run = await BrowserStudent.RunAsync(host, hub.HubUrl, student.Name, hub.StudentPassword, browserOptions, ct);
        BrowserEvidence.Attach(run);
        return run;
    }
}
