using KernelRegression.Diagnosis;

namespace KernelRegression.Tests.Diagnosis;

public sealed class DiagnosisFactsTests
{
    [Fact]
    public void TheProcessTreeNamesTheServerAndItsKernelNotTheInitInFrontOfThem()
    {
        var tree = ProcessTree.Parse("""
            1 0 1000 /sbin/docker-init -- jupyterhub-singleuser --ip=0.0.0.0
            7 1 1000 /usr/bin/python3 /usr/bin/jupyterhub-singleuser --ip=0.0.0.0
            29 7 1000 /usr/bin/python3 -m ipykernel_launcher -f /home/jovyan/.local/share/jupyter/runtime/kernel-1.json
            not a row
            """);

        tree.Server!.Pid.Should().Be(7);
        tree.ServerIsPid1.Should().BeFalse();
        tree.KernelParent!.Pid.Should().Be(7);
        tree.Facts().Should().Contain([("proc.pid1", "/sbin/docker-init -- jupyterhub-singleuser --ip=0.0.0.0"), ("proc.server.is_pid1", "false"), ("proc.kernel.ppid", "7")]);
    }

    [Fact]
    public void AServerThatIsPid1IsSaidSo()
    {
        var tree = ProcessTree.Parse("1 0 1000 /usr/bin/python3 /usr/bin/jupyterhub-singleuser --ip=0.0.0.0\n23 1 1000 /usr/bin/python3 -m ipykernel_launcher -f k.json");

        tree.ServerIsPid1.Should().BeTrue();
        tree.Facts().Should().Contain([("proc.server.pid", "1"), ("proc.server.ppid", "0"), ("proc.kernel.ppid", "1")]);
    }

    [Fact]
    public void TheTypedEvidenceGivesTheLaunchContainerVersionsAndEnvironmentAsFacts()
    {
        var evidence = CellEvidence.Empty with
        {
            Tier = "docker",
            Image = "kr/singleuser:bookworm",
            Launch = new LaunchProfile { Name = "pr34", Command = ["jupyterhub-singleuser", "--ip=0.0.0.0"], MemLimit = "1G" },
            Server = new TierEvidence
            {
                Container = new ContainerState { Exists = true, Status = "exited", ExitCode = 137, OomKilled = true },
                Versions = new Dictionary<string, string> { ["ipykernel"] = "6.17.0" },
                Environment = new Dictionary<string, string> { ["HOME"] = "/home/jovyan" },
                User = new UserState("/home/jovyan", false),
            },
        };

        evidence.Facts().Should().Contain([
            ("image", "kr/singleuser:bookworm"), ("profile.command", "[\"jupyterhub-singleuser\",\"--ip=0.0.0.0\"]"), ("profile.mem_limit", "1G"),
            ("profile.name", "pr34"), ("container.exit_code", "137"), ("container.oom_killed", "true"), ("versions.ipykernel", "6.17.0"),
            ("env.HOME", "/home/jovyan"), ("user.home.writable", "false")]);
    }

    [Theory]
    [InlineData("[I 2026-11-25 22:50:37.611 SingleUserNotebookApp kernelmanager:179] Kernel started: 8cc1607d-fbf8-4448-9d32-642197ea763c, name: python3",
                "[I 2026-11-25 23:02:11.020 SingleUserNotebookApp kernelmanager:181] Kernel started: 3b6f1d22-88a4-4c1e-b0f7-2a9e6c4d1f03, name: python3")]
    [InlineData("[I 2026-11-25 22:50:37.619 SingleUserNotebookApp log:186] 201 POST /user/student-07e1e1d7/api/kernels (student-07e1e1d7@172.23.0.1) 204.13ms",
                "[I 2026-11-26 01:00:00.001 SingleUserNotebookApp log:186] 201 POST /user/student-5b2c99e1/api/kernels (student-5b2c99e1@172.23.0.9) 3.2ms")]
    [InlineData("http://2ce10dde7b3d:8888/user/x/", "http://a8c41f0e92d7:8890/user/x/")]
    [InlineData("kernel pid 4121 exited", "kernel pid 77 exited")]
    public void LogLinesThatDifferOnlyInRunNoiseHaveTheSameShape(string a, string b) =>
        LogLineShape.Of(a).Should().Be(LogLineShape.Of(b));

    [Fact]
    public void WhatALogLineSaysSurvivesItsShape() =>
        LogLineShape.Of("[W 2026-11-25 23:02:40.702 SingleUserNotebookApp restarter:130] KernelRestarter: restarting kernel (1/5), new random ports")
            .Should().Be("[W] KernelRestarter: restarting kernel (<n>/5), new random ports");

    [Theory]
    [InlineData("docker/hub-trixie/img-bookworm/profile-default", "docker/hub-trixie/img-bookworm/profile-default/scenario-healthy", 0)]
    [InlineData("docker/hub-trixie/img-bookworm/profile-default", "docker/hub-sid/img-bookworm/profile-docker-init", 2)]
    [InlineData("docker/hub-trixie/img-trixie/profile-default/scenario-broken-kernelspec", "docker/hub-trixie/img-trixie/profile-default", 1)]
    public void CellDistanceCountsDifferingAxes(string a, string b, int distance) =>
        CellAxes.Of(SyntheticCell.Cell(a)).Distance(CellAxes.Of(SyntheticCell.Cell(b))).Should().Be(distance);
}
