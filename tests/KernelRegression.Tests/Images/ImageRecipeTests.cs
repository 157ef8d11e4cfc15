using KernelRegression.Tiers.Docker;
using KernelRegression.Images;

namespace KernelRegression.Tests.Images;

public sealed class ImageRecipeTests
{
    private static readonly ImageSpec Sid = new("sid", "sid", "default", "none", "none", null);

    [Fact]
    public void TheTagIsStableForAnUnchangedRecipe()
    {
        var a = ImageRecipe.SingleUser(Sid).Tag("sha256:base");
        var b = ImageRecipe.SingleUser(Sid).Tag("sha256:base");

        a.Should().Be(b).And.StartWith("kr/singleuser:sid-default-");
    }

    [Fact]
    public void ABuildArgOrANewBaseChangesTheTag()
    {
        var plain = ImageRecipe.SingleUser(Sid);
        var tini = ImageRecipe.SingleUser(Sid with { Init = "tini" });

        tini.Tag("sha256:base").Should().NotBe(plain.Tag("sha256:base")).And.Contain("sid-default-tini-");
        plain.Tag("sha256:other-base").Should().NotBe(plain.Tag("sha256:base"));
    }

    [Fact]
    public void AChangedRecipeFileChangesTheTag()
    {
        var recipe = ImageRecipe.SingleUser(Sid);
        using var dir = new TempDir("kr-recipe-");
        var copy = Path.Combine(dir.FullName, "Dockerfile");
        File.Copy(recipe.Dockerfile, copy);
        var before = (recipe with { ContextDir = dir.FullName, HashedFiles = [copy] }).Tag("b");
        File.AppendAllText(copy, "\n# a comment is a change\n");
        var after = (recipe with { ContextDir = dir.FullName, HashedFiles = [copy] }).Tag("b");

        after.Should().NotBe(before);
    }

    [Fact]
    public void TheHubRecipeHashesTheConfigAndSpawnerItCopies()
    {
        var hub = ImageRecipe.Hub(new HubSpec("trixie", "trixie"));

        hub.HashedFiles.Select(Path.GetFileName).Should().Contain(["jupyterhub_config.py", "kr_container_spawner.py", "Dockerfile"]);
        hub.Parent!.Tag("b").Should().StartWith("kr/singleuser:trixie-default-");
        hub.ArgsFrom("kr/singleuser:trixie-default-1234")["BASE"].Should().Be("kr/singleuser:trixie-default-1234");
        hub.Suite.Should().Be("trixie");
    }

    [Fact]
    public void AVariantIsBuiltAfterThePlainImageWhosePackageLayersItShares()
    {
        var patched = ImageRecipe.SingleUser(Sid with { KernelPatch = "pre-pr233", Init = "tini" });
        var notebook7 = ImageRecipe.SingleUser(Sid with { Frontend = "notebook7" });
        var server = ImageRecipe.SingleUser(Sid with { Stack = "server" });

        patched.SharesLayersWith!.Tag("b").Should().Be(ImageRecipe.SingleUser(Sid).Tag("b"));
        notebook7.SharesLayersWith!.Tag("b").Should().Be(ImageRecipe.SingleUser(Sid).Tag("b"));
        ImageRecipe.SingleUser(Sid).SharesLayersWith.Should().BeNull();
        server.SharesLayersWith.Should().BeNull("another stack installs other packages: nothing to share");
    }

    [Fact]
    public void ThereIsNoBullseyeHub()
    {
        var make = () => ImageRecipe.Hub(new HubSpec("bullseye", "bullseye"));

        make.Should().Throw<HarnessException>().WithMessage("*no jupyterhub package*");
    }
}
