using System.Text.Json;
using KernelRegression.Matrix;

namespace KernelRegression.Kubernetes.Plan;

/// <summary>
/// What KubeSpawner will run in the notebook container for a launch profile and image, and who is
/// PID 1 there: the question behind the 2017 incident (a server that is PID 1 kills the pre-fix
/// kernel's parent poller). Worked out from the profile and what the suite's images declare
/// (fixtures/images/singleuser/Dockerfile: no ENTRYPOINT unless init is tini; CMD start-singleuser.sh,
/// which keeps the server a child); for an image brought by ref the image's own ENTRYPOINT/CMD are
/// not known before the run.
/// </summary>
public sealed record LaunchShape(string Argv, string Pid1, bool? ServerIsPid1, string Source)
{
    public const string SuiteCmd = "/usr/local/bin/start-singleuser.sh";

    public static LaunchShape Of(LaunchProfile profile, ImageSpec image)
    {
        IReadOnlyList<string>? entrypoint = image.IsBuilt ? image.Init == "tini" ? ["tini", "--"] : [] : null;
        IReadOnlyList<string>? cmd = image.IsBuilt ? [SuiteCmd] : null;
        IReadOnlyList<string>? argv;
        string source;
        if (profile.Command is not null)
        {
            argv = [.. profile.Command, .. profile.Args ?? []];
            source = "container command from hub.config.KubeSpawner.extra_container_config.command (ENTRYPOINT replaced, CMD dropped)"
                + (profile.Args is null ? "; singleuser.cmd: null, so no args" : "; args from singleuser.cmd");
        }
        else if (profile.Args is not null)
        {
            argv = entrypoint is null ? null : [.. entrypoint, .. profile.Args];
            source = "container args from singleuser.cmd (KubeSpawner puts Spawner.cmd in args since kubespawner PR 38); the image's ENTRYPOINT "
                + (entrypoint is null ? "(unknown for an image by ref)" : entrypoint.Count == 0 ? "(none in the suite's images)" : $"{Json(entrypoint)}") + " stays";
        }
        else
        {
            argv = entrypoint is null ? null : [.. entrypoint, .. cmd!];
            source = "the image's ENTRYPOINT and CMD (singleuser.cmd: null deletes the chart's default jupyterhub-singleuser, so KubeSpawner's cmd is None)";
        }
        if (profile.Init)
        {
            return new LaunchShape(argv is null ? "(the image's)" : Json(argv), "/pause, the pod's sandbox (shareProcessNamespace: true)", false,
                source + "; shareProcessNamespace puts the pause process at PID 1 and the server below it");
        }
        if (argv is null)
        {
            return new LaunchShape("(the image's ENTRYPOINT/CMD, read at run time)", "the image's ENTRYPOINT or CMD", null, source);
        }
        var first = argv[0];
        var serverIsPid1 = first.EndsWith("jupyterhub-singleuser", StringComparison.Ordinal) || first.EndsWith("jupyter-notebook", StringComparison.Ordinal)
            || first.EndsWith("jupyter-server", StringComparison.Ordinal);
        var who = serverIsPid1 ? $"{first}, the single-user server itself"
            : first == SuiteCmd ? $"{first} (a shell that runs the server as its child)"
            : first == "tini" ? "tini (an init that runs the server as its child)"
            : first;
        return new LaunchShape(Json(argv), who, serverIsPid1, source);
    }

    private static string Json(IEnumerable<string> argv) => JsonSerializer.Serialize(argv);
}
