using KernelRegression.Evidence.Diagnosis;

namespace KernelRegression.Tests;

public sealed class DiagnosisFactsTests
{
    [Fact]
    public void FactsKeepTheirOrderAndTheirValuesAfterTheFirstEquals()
    {
        var facts = Facts.Parse("tier=docker\r\nprofile.command=[\"jupyterhub-singleuser\",\"--ip=0.0.0.0\"]\n# a comment\n\nnot a fact\ncontainer.exit_code=\nproc.pid1=jupyterhub-singleuser --ip=0.0.0.0\n");

        facts.Keys.Should().Equal("tier", "profile.command", "container.exit_code", "proc.pid1");
        facts["profile.command"].Should().Be("[\"jupyterhub-singleuser\",\"--ip=0.0.0.0\"]");
        facts["container.exit_code"].Should().BeEmpty();
        facts["proc.pid1"].Should().Be("jupyterhub-singleuser --ip=0.0.0.0");
    }

    [Fact]
    public void ARepeatedKeyKeepsTheLastValue() =>
        Facts.Parse("kernel.last_status=idle\nkernel.last_status=restarting")["kernel.last_status"].Should().Be("restarting");

    [Fact]
    public void NoFactsIsAnEmptyDictionary() => Facts.Parse(null).Should().BeEmpty();

    [Fact]
    public void TheEnvironmentTextAddsVariablesTheFactsDoNotHave()
    {
        var cell = new Checks.CellResult("docker/hub-a/img-b/profile-c", [], [],
            new Dictionary<string, string> { ["facts"] = "env.HOME=/home/jovyan", ["environment"] = "HOME=/root\nLANG=C.UTF-8" });

        var facts = Facts.Of(cell);

        facts["env.HOME"].Should().Be("/home/jovyan");
        facts["env.LANG"].Should().Be("C.UTF-8");
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
        CellAxes.Parse(a).Distance(CellAxes.Parse(b)).Should().Be(distance);
}
