namespace KernelRegression.Tests.Deployments;

/// <summary>--image and --image-map make an image the values name run as one this machine has.</summary>
public sealed class ImageMapTests
{
    private static readonly HashSet<string> Suite = ["bookworm", "bookworm-pre-pr233", "trixie"];

    [Theory]
    [InlineData("example.org/course/notebook:2026.11", "bookworm-pre-pr233", true)]
    [InlineData("example.org/course/notebook:2026.12", "bookworm-pre-pr233", true)]
    [InlineData("example.org/course/notebook@sha256:abc", "bookworm-pre-pr233", true)]
    [InlineData("example.org/course/notebook-next:1", "example.org/course/notebook-next:1", false)]
    [InlineData("registry:5000/team/nb:7", "kr/singleuser:seven", false)]
    [InlineData("registry:5000/team/nb:8", "trixie", true)]
    [InlineData("ubuntu", "kr/debian:bookworm", false)]
    public void ExactRulesWinThenNameStarRules(string reference, string target, bool suite)
    {
        var map = ImageMap.Parse([
            "example.org/course/notebook:*=bookworm-pre-pr233",
            "registry:5000/team/nb:7=kr/singleuser:seven",
            "registry:5000/team/nb:*=trixie",
            "ubuntu:latest=kr/debian:bookworm",
        ], suiteImages: Suite);

        var choice = map.Resolve(reference);

        (choice.Target, choice.IsSuiteImage).Should().Be((target, suite));
        choice.FromValues.Should().Be(reference);
    }

    [Fact]
    public void OneImageForEveryCellWins()
    {
        var map = ImageMap.Parse(["a:*=trixie"], every: "kr/singleuser:mine");

        map.Resolve("a:1").Should().Be(new ImageChoice("a:1", "kr/singleuser:mine", false, "--image kr/singleuser:mine"));
    }

    [Theory]
    [InlineData("no-equals", "is not FROM=TO")]
    [InlineData("a:*=", "is not FROM=TO")]
    [InlineData("a*:1=trixie", "only a whole tag may be '*'")]
    [InlineData("a:*=sidd", "neither a Docker reference")]
    public void ABadRuleIsNamedWithTheFix(string rule, string message)
    {
        var act = () => ImageMap.Parse([rule], suiteImages: Suite);

        act.Should().Throw<HarnessException>().Which.What.Should().Contain(message);
    }

    [Fact]
    public void TheMapAppliesToProfileImagesAndInitContainers()
    {
        var v = DeploymentValues.Load([Values.Sample("common.yaml"), Values.Sample("prod.yaml")], Values.SampleOptions);

        v.Cells.Select(c => (c.Key, c.Image.Target)).Should().Equal(
            ("profile-python-default", "bookworm-pre-pr233"), ("profile-python-more-memory", "bookworm-pre-pr233"),
            ("profile-stack/opt-current", "bookworm-pre-pr233"), ("profile-stack/opt-next", "bookworm"));
        var next = v.Cells.Single(c => c.Key == "profile-stack/opt-next");
        next.InitImages.Should().ContainSingle().Which.Target.Should().Be("bookworm-pre-pr233", "the init container keeps its own image (notebook:2026.11)");
        next.Launch.ToSpawnerJson("kr/singleuser:bookworm-x", t => $"resolved({t})")["init_containers"]![0]!["image"]!.ToString().Should().Be("resolved(bookworm-pre-pr233)");
        v.Cells[0].InitImages.Should().ContainSingle("prod runs notebook:2026.10 and the init container names 2026.11");
    }
}
