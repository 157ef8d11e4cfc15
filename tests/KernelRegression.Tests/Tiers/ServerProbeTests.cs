namespace KernelRegression.Tests.Tiers;

/// <summary>The probe's sections as a container prints them: the counters a cause may rest on, and the user's own site-packages.</summary>
public sealed class ServerProbeTests
{
    private static ProbeResult Probe(string cpu, string usersite = "") => ServerProbe.Parse($$"""
        ---table proc
        1 0 1000 /usr/bin/python3 /usr/bin/jupyterhub-singleuser --ip=0.0.0.0 --port=8888
        ---versions
        {"python": "3.11.2", "suite": "bookworm"}
        ---home
        true
        ---oom
        oom_kill_disable 0
        under_oom 0
        oom_kill 0
        ---usersite
        {{usersite}}
        ---cpu
        {{cpu}}
        """);

    [Fact]
    public void CgroupV1sCpuStatGivesTheThrottlingInNanoseconds()
    {
        Probe("nr_periods 4200\nnr_throttled 4100\nthrottled_time 118400000000").Cpu
            .Should().Be(new CpuThrottling(4200, 4100, TimeSpan.FromSeconds(118.4)));
    }

    [Fact]
    public void CgroupV2sCpuStatGivesItInMicroseconds()
    {
        Probe("usage_usec 900000\nuser_usec 800000\nsystem_usec 100000\nnr_periods 812\nnr_throttled 3\nthrottled_usec 250000").Cpu
            .Should().Be(new CpuThrottling(812, 3, TimeSpan.FromSeconds(0.25)));
    }

    [Fact]
    public void WithoutACpuLimitThereAreNoCounters()
    {
        Probe("").Cpu.Should().BeNull();
    }

    [Fact]
    public void TheUsersOwnSitePackagesAreListedUnderTheHomeAndOneThatShadowsIsFound()
    {
        var probe = Probe("", "/home/jovyan/.local/lib/python3.9/site-packages/IPython\n/home/jovyan/.local/lib/python3.11/site-packages/IPython\n/home/jovyan/.local/lib/python3.11/site-packages/kr_tool.py");
        var user = new UserState("/home/jovyan", true) { SitePackages = UserState.RelativeToHome(probe.UserSitePackages, "/home/jovyan") };

        user.SitePackages.Should().Equal(".local/lib/python3.9/site-packages/IPython", ".local/lib/python3.11/site-packages/IPython", ".local/lib/python3.11/site-packages/kr_tool.py");
        user.Shadowing("IPython", "3.11.2").Should().Be(".local/lib/python3.11/site-packages/IPython");
        user.Shadowing("kr_tool", null).Should().Be(".local/lib/python3.11/site-packages/kr_tool.py");
        user.Shadowing("numpy", "3.11.2").Should().BeNull();
    }

    [Fact]
    public void AMissingModuleOfAPackageTheUserShadowsIsSaidSo()
    {
        var evidence = new CellEvidence
        {
            Server = new TierEvidence
            {
                Versions = new Dictionary<string, string> { ["python"] = "3.11.2" },
                User = new UserState("/home/jovyan", true) { SitePackages = [".local/lib/python3.11/site-packages/IPython"] },
            },
        };
        var died = new KernelDiedException("k", "restarting", TimeSpan.FromSeconds(1), "ModuleNotFoundError: No module named 'IPython.core'", "", atStart: true);
        var elsewhere = new KernelDiedException("k", "restarting", TimeSpan.FromSeconds(1), "ModuleNotFoundError: No module named 'IPython.kr_not_a_module'", "", atStart: true);

        Explainer.Cause(new CheckFailure(died, false), evidence)
            .Should().Be("ModuleNotFoundError: No module named 'IPython.core' — the user's ~/.local/lib/python3.11/site-packages/IPython shadows the image's IPython (user site-packages come first)");
        Explainer.Cause(new CheckFailure(elsewhere, false), evidence with { Server = evidence.Server with { User = new UserState("/home/jovyan", true) } })
            .Should().Be("ModuleNotFoundError: No module named 'IPython.kr_not_a_module'");
    }
}
