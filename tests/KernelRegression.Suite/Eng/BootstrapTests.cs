using System.Text;
using KernelRegression.Docker;
using KernelRegression.Images;

namespace KernelRegression.Suite.Eng;

/// <summary>
/// eng/bootstrap.sh installs only through apt, verified: on a fresh Debian 12 (a throwaway container of the suite's
/// own bookworm base, with the script mounted read-only) trixie's docker.io comes through the pinned trixie source,
/// everything it needs from bookworm, and a trixie source apt cannot verify stops the install.
/// </summary>
[RequiresTier(typeof(DockerTierProbe))]
public sealed class BootstrapTests(DockerFixture docker)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task OnBookwormTrixiesDockerIoComesThroughThePinnedSourceAndNothingElseFromTrixie()
    {
        // Given a fresh bookworm with only the script
        // When its docker package step runs, then every installed package whose version bookworm does not offer is listed
        var output = await InContainerAsync("""
            set -e
            . /eng/bootstrap.sh
            install_docker_package
            echo "dockerd: $(dockerd --version)"
            dpkg-query -W -f '${Package}=${Version}\n' | while IFS== read -r p v; do
              apt-cache madison "$p" | awk -F'|' -v v="$v" '{ gsub(/ /, "", $2) } $2 == v && $3 ~ / bookworm\// { found = 1 } END { exit !found }' \
                || echo "not from bookworm: $p $v"
            done
            """);

        // Then
        output.Should().Contain("adding trixie as an apt source for docker.io only").And.MatchRegex(@"dockerd: Docker version (2[5-9]|[3-9]\d)\.");
        output.Split('\n').Where(l => l.StartsWith("not from bookworm: ", StringComparison.Ordinal)).Select(l => l.Split(' ')[3])
            .Should().Equal(["docker.io"], "only docker.io comes from trixie; what it needs comes from bookworm");
    }

    [Fact]
    public async Task ATrixieSourceAptCannotVerifyStopsTheInstall()
    {
        // Given the trixie source signed by a key the source does not trust (bullseye's archive key alone)
        // When the docker package step runs
        var output = await InContainerAsync("""
            . /eng/bootstrap.sh
            add_trixie_source
            sed -i 's#debian-archive-keyring.gpg#debian-archive-bullseye-stable.gpg#' "$TRIXIE_SOURCE"
            if (install_docker_package); then echo "INSTALLED"; else echo "REFUSED"; fi
            command -v dockerd || echo "no dockerd"
            """, mustSucceed: false);

        // Then apt refuses trixie's lists and nothing is installed
        output.Should().MatchRegex("NO_PUBKEY|not signed|couldn't be verified").And.Contain("apt-get update failed").And.Contain("REFUSED").And.Contain("no dockerd");
    }

    /// <summary>Runs a bash script in a throwaway kr/debian:bookworm container (the run's label, removed after), eng/ mounted at /eng.</summary>
    private async Task<string> InContainerAsync(string script, bool mustSucceed = true)
    {
        await BaseImage.EnsureAsync("bookworm", line => TestContext.Current.SendDiagnosticMessage(line), Ct);
        var output = new StringBuilder();
        var eng = Path.GetFullPath(Path.Combine(FixturePaths.Root, "..", "eng"));
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        deadline.CancelAfter(Deadline.Of(600));
        try
        {
            await DockerEngine.RunToEndAsync(new global::Docker.DotNet.Models.CreateContainerParameters
            {
                Image = BaseImage.Tag("bookworm"), Cmd = ["bash", "-c", script],
                HostConfig = new global::Docker.DotNet.Models.HostConfig { Binds = [$"{eng}:/eng:ro"] },
            }, docker.Run.Id, "the bootstrap container", line => output.AppendLine(line), deadline.Token);
        }
        catch (ActionableException) when (!mustSucceed)
        {
            // The refusal is what the test looks for, in the output.
        }
        TestContext.Current.AddAttachment("container-output.txt", output.ToString());
        return output.ToString();
    }
}
