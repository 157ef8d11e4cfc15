namespace KernelRegression.Tests.Deployments;

/// <summary>One cell per profile (and option choice), named by slug, as KubeSpawner names them.</summary>
public sealed class ProfileCellsTests
{
    private const string Su = "singleuser:\n  image: {name: x, tag: \"1\"}\n";

    [Theory]
    [InlineData("Default: Shared, 8 CPU cores", "default-shared-8-cpu-cores")]
    [InlineData("Python (default)", "python-default")]
    [InlineData("  Ünïcode -- Data Science!! ", "unicode-data-science")]
    [InlineData("Students' 1,000 GB", "students-1000-gb")]
    public void AProfileWithoutSlugIsNamedByItsDisplayNameSlugified(string displayName, string slug)
    {
        Values.Of(Su + $"  profileList:\n    - display_name: \"{displayName}\"\n").Cells.Single().Profile.Should().Be(slug);
    }

    [Fact]
    public void EveryProfileIsACellAndTheDefaultIsMarked()
    {
        var v = Values.Of(Su + "  profileList:\n    - {display_name: A}\n    - {display_name: B, slug: bee, default: true}\n    - {display_name: C}\n");

        v.Cells.Select(c => c.Id).Should().Equal("values-a/profile-a", "values-a/profile-bee", "values-a/profile-c");
        v.Cells.Single(c => c.IsDefault).Profile.Should().Be("bee");
        v.Cells.Select(c => c.Launch.Name).Should().Equal(v.Cells.Select(c => c.Id));
    }

    [Fact]
    public void OptionChoicesExpandIntoCellsNamedByChoice()
    {
        var v = Values.Of(Su + """
              profileList:
                - display_name: One option
                  profile_options:
                    image: {display_name: Image, choices: {a: {display_name: A}, b: {display_name: B, default: true}}}
                - display_name: Two options
                  profile_options:
                    cpu: {display_name: CPU, choices: {one: {display_name: '1'}, two: {display_name: '2'}}}
                    mem: {display_name: Memory, choices: {small: {display_name: S}, big: {display_name: B}}}
            """);

        v.Cells.Select(c => c.Key).Should().Equal(
            "profile-one-option/opt-a", "profile-one-option/opt-b",
            "profile-two-options/opt-cpu-one/opt-mem-small", "profile-two-options/opt-cpu-one/opt-mem-big",
            "profile-two-options/opt-cpu-two/opt-mem-small", "profile-two-options/opt-cpu-two/opt-mem-big");
        v.Cells.Where(c => c.IsDefault).Select(c => c.Key).Should().Equal("profile-one-option/opt-b");
    }

    [Fact]
    public void MoreThanEightCombinationsRunTheDefaultChoicesOnlyAndSaySo()
    {
        var choices = string.Join(", ", Enumerable.Range(1, 9).Select(i => $"c{i}: {{display_name: C{i}{(i == 3 ? ", default: true" : "")}}}"));
        var v = Values.Of(Su + $"  profileList:\n    - display_name: Many\n      profile_options:\n        tag: {{display_name: Tag, choices: {{{choices}}}}}\n");

        v.Cells.Should().ContainSingle().Which.Key.Should().Be("profile-many/opt-c3");
        v.Notes.Should().ContainSingle().Which.Should().Contain("9 choices (more than 8); only the default choices run (tag=c3)");
    }

    [Fact]
    public void TheLimitIsAnOption()
    {
        var v = Values.With(new ValuesOptions { MaxChoicesPerProfile = 1 },
            Su + "  profileList:\n    - display_name: P\n      profile_options:\n        o: {display_name: O, choices: {a: {display_name: A}, b: {display_name: B}}}\n");

        v.Cells.Select(c => c.Key).Should().Equal("profile-p/opt-a");
    }

    [Fact]
    public void AnUnlistedChoiceIsNotExpandedAndSaidSo()
    {
        var v = Values.Of(Su + "  profileList:\n    - display_name: P\n      profile_options:\n        image:\n          display_name: Image\n          unlisted_choice: {enabled: true, kubespawner_override: {image: '{value}'}}\n          choices: {a: {display_name: A}}\n");

        v.Cells.Single().Key.Should().Be("profile-p/opt-a");
        v.Notes.Should().Contain(n => n.Contains("unlisted_choice") && n.Contains("not expanded"));
    }

    [Fact]
    public void TwoProfilesWithTheSameSlugAreAnError()
    {
        Values.Refusal(() => Values.Of(Su + "  profileList:\n    - {display_name: Python}\n    - {display_name: python}\n")).What.Should().Contain("two profiles have the slug 'python'");
    }

    [Fact]
    public void TheLabelComesFromTheLastFileOrTheOption()
    {
        Values.With(new ValuesOptions { Label = "Prod EU" }, Su).Cells.Single().Id.Should().Be("values-prod-eu/singleuser");
        DeploymentValues.Load([Values.Sample("common.yaml"), Values.Sample("prod.yaml")]).Label.Should().Be("values-prod");
    }
}
