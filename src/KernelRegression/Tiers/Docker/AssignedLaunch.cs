using System.Text.Json.Nodes;
using KernelRegression.Tiers.Docker;

namespace KernelRegression.Tiers.Docker;

/// <summary>
/// A spawn from the hub's start button carries no user_options, so on the docker tier the hub must
/// already know which image and launch profile the user gets, as a Zero to JupyterHub deployment gives
/// its users their image without asking. The hub's configuration reads
/// KR_RUN_DIR/launch-profiles/USER.json in a pre-spawn hook (fixtures/hub/jupyterhub_config.py).
/// </summary>
public static class AssignedLaunch
{
    /// <summary>The hub container's KR_RUN_DIR (fixtures/images/hub/Dockerfile).</summary>
    private const string RunDir = "/srv/kr/run";

    /// <summary>Assigns <paramref name="userOptions"/> (DockerHub.UserOptions(image, profile)) to the user's next spawn.</summary>
    public static async Task AssignAsync(DockerHub hub, string user, JsonObject userOptions, CancellationToken ct)
    {
        if (user.Contains('/', StringComparison.Ordinal) || user.Contains("..", StringComparison.Ordinal))
        {
            throw new HarnessException($"user name '{user}' cannot name a file", "use a plain user name (Student.NewName)");
        }
        await DockerHub.ExecAsync(hub.Container.Name, null, $"mkdir -p {RunDir}/launch-profiles && cat > {RunDir}/launch-profiles/{user}.json",
            $"assigning {user}'s launch profile in the hub container", ct, System.Text.Encoding.UTF8.GetBytes(userOptions.ToJsonString()));
    }
}
