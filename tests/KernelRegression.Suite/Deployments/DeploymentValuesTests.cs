using System.Diagnostics;
using KernelRegression.Suite.Cli;

namespace KernelRegression.Suite.Deployments;

/// <summary>
/// An operator's own deployment as the input: the sample's z2jh values (umbrella key, common + staging,
/// a profileList with an override and options) run as cells with real kernels; the keys reach the kernel;
/// a change is checked before merge and a broken history is bisected, through the real command line.
/// </summary>
[RequiresTier(typeof(DockerTierProbe))]
public sealed partial class DeploymentValuesTests(DockerFixture docker) : IAsyncLifetime
{
    private static readonly string[] ImageMap =
    [
        "--image-map", "example.org/course/notebook:*=bookworm-pre-pr233",
        "--image-map", "example.org/course/notebook-next:*=bookworm",
    ];

    private readonly string _dir = Directory.CreateTempSubdirectory("kr-values-tests-").FullName;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static string Sample(string file) => FixturePaths.Of("deployments", "sample", file);

    public ValueTask InitializeAsync() => ValueTask.CompletedTask;

    public ValueTask DisposeAsync()
    {
        Directory.Delete(_dir, recursive: true);
        return ValueTask.CompletedTask;
    }

    [Fact]
    public async Task TheSampleDeploymentRunsACellPerProfileAndOptionAndSaysWhatItCouldNotApply()
    {
        var (exit, output) = await KrAsync(["run", "--values", Sample("common.yaml"), "--values", Sample("staging.yaml"), .. ImageMap,
            "--volume-files", $"course-data={Sample("course-data")}", "--checks", "kernel-starts,executes,stays-alive", "--alive-window", "3"]);

        exit.Should().Be(0, output);
        output.Should().Contain("4 passed, 0 failed");
        var report = File.ReadAllText(Path.Combine(RunFolder(output), "report.md"));
        foreach (var cell in new[] { "profile-python-default", "profile-python-more-memory", "profile-stack/opt-current", "profile-stack/opt-next" })
        {
            report.Should().Contain($"docker/hub-trixie/values-staging/{cell}");
        }
        report.Should().Contain("## Not applied on this tier").And.Contain("singleuser.nodeSelector").And.Contain("singleuser.extraEnv.GRADER_TOKEN (valueFrom")
            .And.Contain("hub.extraConfig.10-longer-start");
    }

    [Fact]
    public async Task TheValuesKeysReachTheRunningKernel()
    {
        // Given the sample's default cell, translated from the values, on the docker tier
        var matrix = MatrixFile.Load();
        var values = DeploymentValues.Load([Sample("common.yaml"), Sample("staging.yaml")], new ValuesOptions
        {
            Images = KernelRegression.Deployments.ImageMap.Parse(["example.org/course/notebook:*=bookworm-pre-pr233", "example.org/course/notebook-next:*=bookworm"],
                null, matrix.Document.Images.Keys.ToHashSet()),
            VolumeFiles = ValuesOptions.ParseVolumeFiles([$"course-data={Sample("course-data")}"]),
        });
        var cell = ValuesMatrix.Cells(values, matrix, ["trixie"]).Single(c => c.Profile == "profile-python-default");
        var tier = docker.Tier;
        await tier.PrepareAsync([cell], _ => { }, Ct);
        var deployment = await tier.DeployAsync(cell, Ct);

        // When a student's kernel runs there
        await using var student = await Student.SpawnAsync(deployment.Hub, Ct, userOptions: deployment.UserOptions);
        await using var kernel = await student.StartKernelAsync(Ct);
        async Task<string?> Eval(string code) => (await KernelChecks.ExecutesAsync(student, kernel, code, Ct)).Result;

        // Then each key is there, as Kubernetes would have made it
        (await Eval("import os; os.environ['COURSE_HOME']")).Should().Be("'/srv/data/data-101'", "extraEnv with a $(VAR) reference, expanded");
        (await Eval("os.environ['COURSE_ENV']")).Should().Be("'staging'", "staging.yaml's extraEnv merged over common.yaml's");
        (await Eval("'GRADER_TOKEN' in os.environ")).Should().Be("False", "a valueFrom is not applied (and said so)");
        (await Eval("os.getuid(), 100 in os.getgroups()")).Should().Be("(1000, True)", "uid and fsGid");
        (await Eval("open('/etc/course/welcome.txt').read().startswith('Welcome to Data 101')")).Should().Be("True", "extraFiles");
        (await Eval("import json; json.load(open('/etc/course/settings.json'))['course']")).Should().Be("'data-101'", "extraFiles data rendered as JSON");
        (await Eval("os.path.exists('/home/jovyan/.post-start-ran')")).Should().Be("True", "lifecycleHooks.postStart");
        (await Eval("sorted(os.listdir('/srv/data'))")).Should().NotBe("[]", "the configMap volume with its files");
        (await Eval("open('/sys/fs/cgroup/memory/memory.limit_in_bytes').read().strip()")).Should().Be("'1073741824'", "memory.limit 1G");
        (await Eval("os.getcwd()")).Should().Be("'/home/jovyan'", "hub.config.KubeSpawner.working_dir");
    }

    [Fact]
    public async Task CheckChangeFailsTheCommitThatBreaksKernelsAndPassesAHarmlessOne()
    {
        var repo = await HistoryAsync();
        var culprit = await CommitAsync(repo, "Start jupyterhub-singleuser directly");
        var harmless = await CommitAsync(repo, "Raise the memory limit to 1.5G");

        var broken = await KrAsync(["check-change", "--repo", repo, "--base", culprit + "~1", "--head", culprit, "--values", "deploy/common.yaml",
            "--values", "deploy/staging.yaml", .. ImageMap, "--volume-files", $"course-data={Path.Combine(repo, "deploy", "course-data")}", "--checks", "kernel-starts"]);
        var fine = await KrAsync(["check-change", "--repo", repo, "--base", harmless + "~1", "--head", harmless, "--values", "deploy/common.yaml",
            "--values", "deploy/staging.yaml", .. ImageMap, "--volume-files", $"course-data={Path.Combine(repo, "deploy", "course-data")}", "--checks", "kernel-starts"]);

        broken.ExitCode.Should().Be(1, broken.Output);
        broken.Output.Should().Contain("worse").And.Contain("while the server, its parent, is PID 1");
        fine.ExitCode.Should().Be(0, fine.Output);
        fine.Output.Should().NotContain("worse ");
    }

    [Fact]
    public async Task BisectCommitsNamesTheCulpritItsLaunchChangeAndItsCauseInLog2Steps()
    {
        var repo = await HistoryAsync();
        var culprit = await CommitAsync(repo, "Start jupyterhub-singleuser directly");
        var commits = int.Parse((await GitAsync(repo, "rev-list", "--count", "HEAD")).Trim(), System.Globalization.CultureInfo.InvariantCulture);
        var sw = Stopwatch.StartNew();

        var (exit, output) = await KrAsync(["bisect", "commits", "--repo", repo, "--good", "HEAD~" + (commits - 1), "--bad", "HEAD",
            "--values", "deploy/common.yaml", "--values", "deploy/staging.yaml", .. ImageMap, "--volume-files", $"course-data={Path.Combine(repo, "deploy", "course-data")}",
            "--checks", "kernel-starts"]);

        exit.Should().Be(0, output);
        output.Should().Contain($"first bad commit: {culprit}").And.Contain("Start jupyterhub-singleuser directly");
        output.Should().Contain("while the server, its parent, is PID 1");
        output.Should().Contain("hub.config.KubeSpawner.cmd", "the launch setting that changed, with where it came from");
        var steps = int.Parse(SearchSteps().Match(output).Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture);
        steps.Should().BeLessThanOrEqualTo((int)Math.Ceiling(Math.Log2(commits - 1)), $"{commits} commits, ends verified first");
        TestContext.Current.SendDiagnosticMessage($"bisect commits: {commits} commits, {steps} search steps, {sw.Elapsed.TotalSeconds:0} s");
    }

    private async Task<(int ExitCode, string Output)> KrAsync(params string[] args)
    {
        return await KrProcess.RunAsync(new Dictionary<string, string> { ["KR_OUTPUT"] = Path.Combine(_dir, "runs") }, Deadline.Of(1800), Ct, args);
    }

    private string RunFolder(string output) =>
        Directory.GetDirectories(Path.Combine(_dir, "runs")).Single(r => output.Contains(Path.GetFileName(r), StringComparison.Ordinal));

    /// <summary>The generated deployment history (fixtures/deployments/make-history.sh), in a folder of this test.</summary>
    private async Task<string> HistoryAsync()
    {
        var repo = Path.Combine(_dir, "deploy-repo");
        var make = System.Diagnostics.Process.Start(new ProcessStartInfo("bash", [FixturePaths.Of("deployments", "make-history.sh"), repo]) { RedirectStandardError = true })!;
        await make.WaitForExitAsync(Ct);
        make.ExitCode.Should().Be(0, await make.StandardError.ReadToEndAsync(Ct));
        return repo;
    }

    private static async Task<string> CommitAsync(string repo, string subject) =>
        (await GitAsync(repo, "log", "--format=%H", "--fixed-strings", "--grep", subject)).Trim().Split('\n')[0];

    private static async Task<string> GitAsync(string repo, params string[] args)
    {
        var git = System.Diagnostics.Process.Start(new ProcessStartInfo("git", ["-C", repo, .. args]) { RedirectStandardOutput = true })!;
        var output = await git.StandardOutput.ReadToEndAsync(Ct);
        await git.WaitForExitAsync(Ct);
        return output;
    }

    [System.Text.RegularExpressions.GeneratedRegex(@"(\d+) search steps after the 2 end checks")]
    private static partial System.Text.RegularExpressions.Regex SearchSteps();
}
