using System.Diagnostics;

namespace KernelRegression.Tests.Deployments;

/// <summary>
/// A throwaway deployment repository built once for the class by fixtures/deployments/make-history.sh.
/// Tests read it through git only; the two that edit its work tree prove exactly that nothing reads it.
/// </summary>
public sealed class HistoryRepo : IAsyncLifetime
{
    private readonly DirectoryInfo _dir = Directory.CreateTempSubdirectory("kr-history-");

    public string Dir => _dir.FullName;
    public string Repo => Path.Combine(Dir, "deploy-repo");
    public GitValuesHistory Git { get; private set; } = null!;

    public async ValueTask InitializeAsync()
    {
        var ct = TestContext.Current.CancellationToken;
        var script = FixturePaths.Of("deployments", "make-history.sh");
        using var p = Process.Start(new ProcessStartInfo("bash", [script, Repo]) { RedirectStandardOutput = true, RedirectStandardError = true })!;
        var stderr = p.StandardError.ReadToEndAsync(ct);
        await p.StandardOutput.ReadToEndAsync(ct);
        await p.WaitForExitAsync(ct);
        if (p.ExitCode != 0)
        {
            throw new InvalidOperationException($"make-history.sh failed ({p.ExitCode}): {await stderr}");
        }
        Git = await GitValuesHistory.OpenAsync(Repo, ct);
    }

    public ValueTask DisposeAsync()
    {
        _dir.Delete(recursive: true);
        return ValueTask.CompletedTask;
    }
}

/// <summary>The generated deployment history (fixtures/deployments/make-history.sh) read with real git.</summary>
public sealed class GitHistoryTests(HistoryRepo history) : IClassFixture<HistoryRepo>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;
    private static readonly string[] ValuesPaths = ["deploy/common.yaml", "deploy/staging.yaml"];

    private string Repo => history.Repo;

    private static ValuesOptions Options => new() { Images = ImageMap.Parse(Values.SampleImageMap) };

    private Task<GitValuesHistory> HistoryAsync() => Task.FromResult(history.Git);

    [Fact]
    public async Task TheScriptBuildsEighteenFirstParentCommitsOldestFirst()
    {
        var git = await HistoryAsync();

        var commits = await git.CommitsAsync("HEAD~17", "HEAD", Ct);

        commits.Should().HaveCount(18);
        commits[0].Subject.Should().StartWith("Course hub for Data 101");
        commits[^1].Subject.Should().Be("Week 6");
        commits.Select(c => c.Date).Should().BeInAscendingOrder();
        commits.Should().OnlyContain(c => c.Hash.Length == 40);
        (await git.CommitsAsync("HEAD~2", "HEAD", Ct, includeFrom: false)).Select(c => c.Subject).Should().Equal("Label user pods with the term", "Week 6");
    }

    [Fact]
    public async Task ValuesAreReadAtARevisionWithoutTouchingTheWorkTree()
    {
        var git = await HistoryAsync();
        var common = Path.Combine(Repo, "deploy", "common.yaml");
        await File.WriteAllTextAsync(common, "not: [valid", Ct);

        var first = await git.LoadAsync("HEAD~17", ValuesPaths, Options, Ct);
        var last = await git.LoadAsync("HEAD", ValuesPaths, Options, Ct);

        first.Cells.Select(c => c.Key).Should().Equal("profile-python-default", "profile-python-more-memory");
        last.Cells.Select(c => c.Key).Should().Equal("profile-python-default", "profile-python-more-memory", "profile-statistics");
        first.Label.Should().Be("values-staging");
        first.Files[0].Should().MatchRegex("^[0-9a-f]{12}:deploy/common.yaml$");
        (await File.ReadAllTextAsync(common, Ct)).Should().Be("not: [valid", "the caller's work tree is never written");
    }

    [Fact]
    public async Task TheCulpritsDiffNamesTheLaunchChangeAndHarmlessCommitsDoNot()
    {
        var git = await HistoryAsync();
        var commits = await git.CommitsAsync("HEAD~17", "HEAD", Ct);
        var culprit = commits.Single(c => c.Subject.StartsWith("Start jupyterhub-singleuser directly", StringComparison.Ordinal));
        var parent = commits[commits.ToList().IndexOf(culprit) - 1];

        var before = await git.LoadAsync(parent.Hash, ValuesPaths, Options, Ct);
        var after = await git.LoadAsync(culprit.Hash, ValuesPaths, Options, Ct);
        var changes = LaunchDiff.Between(before.Cells, after.Cells);

        changes.Should().HaveCount(3, "every profile's launch changed");
        changes.Should().OnlyContain(c => c.Changes.Count == 1);
        changes[0].Changes[0].Should().Be(new SettingChange("args", "[start-singleuser.sh]", "[jupyterhub-singleuser, --ip=0.0.0.0, --port=8888]", "hub.config.KubeSpawner.cmd"));
        changes[0].ToString().Should().Be("profile-python-default: args: [start-singleuser.sh] → [jupyterhub-singleuser, --ip=0.0.0.0, --port=8888] (hub.config.KubeSpawner.cmd)");

        var bumpIndex = commits.ToList().FindIndex(c => c.Subject == "Bump the notebook image to 2026.12");
        var bump = LaunchDiff.Between((await git.LoadAsync(commits[bumpIndex - 1].Hash, ValuesPaths, Options, Ct)).Cells,
            (await git.LoadAsync(commits[bumpIndex].Hash, ValuesPaths, Options, Ct)).Cells);
        bump.SelectMany(c => c.Changes).Select(s => s.Field).Distinct().Should().BeEquivalentTo(["image", "env.JUPYTER_IMAGE", "env.JUPYTER_IMAGE_SPEC"],
            "the tag bump maps to the same suite image; only the reference the values name changes");
        bump.SelectMany(c => c.Changes).Should().NotContain(s => s.Field == "args" || s.Field == "command");
    }

    [Fact]
    public async Task UnderThePrePr38BehaviourTheCulpritReplacesTheEntrypoint()
    {
        var git = await HistoryAsync();
        var options = Options with { KubeSpawner = KubeSpawnerVersion.Parse("pre-pr38") };

        var culprit = await git.LoadAsync("HEAD~7", ValuesPaths, options, Ct);

        culprit.Cells[0].Launch.Command.Should().Equal("jupyterhub-singleuser", "--ip=0.0.0.0", "--port=8888");
        culprit.Cells[0].Launch.Args.Should().BeNull();
    }

    [Fact]
    public async Task ADirectoryThatIsNotARepositoryAndARevisionThatDoesNotExistAreNamed()
    {
        var git = await HistoryAsync();
        using var notRepo = new TempDir("kr-not-a-repo-");

        var open = () => GitValuesHistory.OpenAsync(notRepo.FullName, Ct);
        var missing = () => git.CommitAsync("no-such-branch", Ct);
        var reversed = () => git.CommitsAsync("HEAD", "HEAD~3", Ct);
        var noFile = () => git.LoadAsync("HEAD", ["deploy/prod.yaml"], Options, Ct);

        (await open.Should().ThrowAsync<HarnessException>()).Which.What.Should().Contain("is not a git repository");
        (await missing.Should().ThrowAsync<HarnessException>()).Which.What.Should().Contain("revision 'no-such-branch' does not exist");
        (await reversed.Should().ThrowAsync<HarnessException>()).Which.What.Should().Contain("is not an ancestor of");
        (await noFile.Should().ThrowAsync<ValuesException>()).Which.What.Should().Contain("has no deploy/prod.yaml");
    }

    [Fact]
    public async Task AVolumeFilesFolderInsideTheRepositoryIsReadAtTheRevision()
    {
        var git = await HistoryAsync();
        var syllabus = Path.Combine(Repo, "deploy", "course-data", "syllabus.md");
        await File.WriteAllTextAsync(syllabus, "edited in the work tree, not committed\n", Ct);
        var options = Options with { VolumeFiles = ValuesOptions.ParseVolumeFiles([$"course-data={Path.Combine(Repo, "deploy", "course-data")}"]) };

        var values = await git.LoadAsync("HEAD", ValuesPaths, options, Ct);
        var onDisk = DeploymentValues.Parse([new ValuesSource("c.yaml", await git.ShowAsync("HEAD", "deploy/common.yaml", Ct))], options);

        values.Cells[0].Launch.Volumes.Single().Files.Should().Equal(new Dictionary<string, string>
        {
            ["syllabus.md"] = "# Data 101 syllabus\nWeek 1: tables. Week 2: charts. Week 3: sampling.\n",
        });
        onDisk.Cells[0].Launch.Volumes.Single().Files!["syllabus.md"].Should().StartWith("edited in the work tree");
    }
}
