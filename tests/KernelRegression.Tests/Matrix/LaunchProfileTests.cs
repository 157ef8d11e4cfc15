namespace KernelRegression.Tests.Matrix;

public sealed class LaunchProfileTests
{
    [Fact]
    public void EveryShippedProfileLoads()
    {
        var names = LaunchProfile.BuiltIn();

        names.Should().Contain(["default", "kubespawner-pr34-command", "kubespawner-pr38-args", "docker-init"]);
        foreach (var n in names)
        {
            LaunchProfile.Resolve(n).Name.Should().Be(n);
        }
    }

    [Fact]
    public void TheIncidentProfileReplacesTheEntrypointAndTheCurrentOneKeepsIt()
    {
        var pr34 = LaunchProfile.Resolve("kubespawner-pr34-command");
        var pr38 = LaunchProfile.Resolve("kubespawner-pr38-args");

        pr34.Command.Should().StartWith("jupyterhub-singleuser");
        pr34.Args.Should().BeNull();
        pr38.Command.Should().BeNull();
        pr38.Args.Should().StartWith("jupyterhub-singleuser");
    }

    [Fact]
    public void SpawnerJsonCarriesEveryPodField()
    {
        var json = LaunchProfile.Resolve("docker-init").ToSpawnerJson("kr/singleuser:x");

        json["image"]!.ToString().Should().Be("kr/singleuser:x");
        json["init"]!.GetValue<bool>().Should().BeTrue();
        json["uid"]!.GetValue<int>().Should().Be(1000);
        json["mem_limit"]!.ToString().Should().Be("1G");
        json["args"].Should().BeNull();
        json["labels"]!["org.kernelregression.profile"]!.ToString().Should().Be("docker-init");
    }

    [Fact]
    public void AUsersOwnProfileFileWorksAndABadOneIsNamed()
    {
        using var dir = new TempDir("kr-profile-");
        var good = dir.Write("mine.yaml", "args: [start.sh]\nenv: {JUPYTER_ENABLE_LAB: 'yes'}\nmem_limit: 512Mi\n");
        var bad = dir.Write("bad.yaml", "mem_limit: lots\n");

        var mine = LaunchProfile.Resolve(good);
        var act = () => LaunchProfile.Resolve(bad);

        mine.Name.Should().Be("mine");
        mine.Env["JUPYTER_ENABLE_LAB"].Should().Be("yes");
        act.Should().Throw<HarnessException>().Which.Message.Should().Contain("mem_limit 'lots'");
    }

    [Fact]
    public void AnUnknownProfileNameListsTheShippedOnes()
    {
        var act = () => LaunchProfile.Resolve("no-such-profile");

        act.Should().Throw<HarnessException>().Which.Fix.Should().Contain("kubespawner-pr34-command");
    }
}
