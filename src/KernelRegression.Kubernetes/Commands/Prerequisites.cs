namespace KernelRegression.Kubernetes.Commands;

/// <summary>
/// What a Kubernetes tier needs on the machine, probed in seconds, each missing one named with its fix.
/// The probes only read (versions, `docker image inspect`) except <see cref="NodeImageAsync"/>, which may
/// `docker pull` the node image within a short deadline.
/// </summary>
public static class Prerequisites
{
    public static string InstallHint(string program) => program switch
    {
        "docker" => "install a Docker engine (eng/bootstrap.sh docker, or Docker's own packages) and start it",
        "kind" => "install kind: go install sigs.k8s.io/kind@v0.29.0, or the release binary from https://kind.sigs.k8s.io/docs/user/quick-start/#installation (Debian trixie/sid also package it)",
        "helm" => "install helm 3: https://helm.sh/docs/intro/install/ (e.g. the get-helm-3 script)",
        "kubectl" => "install kubectl (Debian: apt-get install kubernetes-client), only needed for debugging by hand",
        _ => $"install {program} and put it on PATH",
    };

    /// <summary>Throws <see cref="MissingPrerequisiteException"/> when a program does not answer its version command.</summary>
    public static async Task ProgramAsync(ICommandRunner runner, string program, CancellationToken ct)
    {
        var args = program switch
        {
            "docker" => new[] { "version", "--format", "{{.Server.Version}}" },
            "helm" => ["version", "--short"],
            "kind" => ["version"],
            _ => ["--version"],
        };
        var r = await runner.RunAsync(new CommandLine(program, args), Deadline.Of(15), ct);
        if (!r.Succeeded)
        {
            throw new MissingPrerequisiteException($"`{program} {string.Join(' ', args)}` failed (exit {r.ExitCode}): {r.StandardError.Trim()}", InstallHint(program));
        }
    }

    /// <summary>
    /// How long the node image pull may take: a kindest/node image is about 1 GB, minutes on a fresh CI
    /// runner, so where the tier is required (KR_REQUIRE_TIER) the pull gets 15 minutes; where it is not,
    /// 20 s, so a machine without a registry skips at once instead of hanging.
    /// </summary>
    public static TimeSpan NodeImagePullDeadline(string tier) => NodeImagePullDeadline(Required(tier));

    public static TimeSpan NodeImagePullDeadline(bool required) => required ? Deadline.Of(900) : Deadline.Of(20);

    /// <summary>The kindest/node image is on this machine, or pullable within <paramref name="pullDeadline"/>.</summary>
    public static async Task NodeImageAsync(ICommandRunner runner, string image, TimeSpan pullDeadline, CancellationToken ct)
    {
        if ((await runner.RunAsync(CommandLine.Of("docker", "image", "inspect", "--format", "{{.Id}}", image), Deadline.Of(15), ct)).Succeeded)
        {
            return;
        }
        CommandResult pull;
        try
        {
            pull = await runner.RunAsync(CommandLine.Of("docker", "pull", "-q", image), pullDeadline, ct);
        }
        catch (DeadlineExceededException)
        {
            throw new MissingPrerequisiteException($"the node image {image} is not on this machine and `docker pull` did not finish within {pullDeadline.TotalSeconds:0} s",
                $"`docker pull {image}` first (about 1 GB), or set KR_REQUIRE_TIER=kind to give the pull 15 minutes; offline, `docker load` it (docker save on a connected machine)");
        }
        if (!pull.Succeeded)
        {
            throw new MissingPrerequisiteException($"the node image {image} is not on this machine and cannot be pulled: {pull.StandardError.Trim()}",
                "run where Docker Hub is reachable, or `docker load` the image first (docker save on a connected machine)");
        }
    }

    /// <summary>KR_REQUIRE_TIER names the tier (comma-separated): a missing prerequisite is then a failure, not a skip.</summary>
    public static bool Required(string tier) =>
        Settings.Requires(tier);
}
