using System.Diagnostics;
using System.Text.Json;

namespace KernelRegression.Suite.Cli;

/// <summary>
/// kr keeps the conventions of a command line: a version naming the engine's commit, `--json` that is JSON and
/// nothing else, ids a pipe gets whole, quoted examples, exit 3 (never 255) with one line and the trace's path for
/// what it did not expect, and a line every 30 s when a pipe would otherwise hear nothing.
/// </summary>
public sealed class OperatorCliTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("kr-operator-cli-").FullName;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public async Task TheVersionNamesTheEnginesCommit()
    {
        var head = (await GitAsync("rev-parse", "HEAD")).Trim();

        var (exit, output) = await KrProcess.RunAsync(Ct, "--version");

        exit.Should().Be(0, output);
        output.Should().Contain($"engine commit {head}", "the commit kr was built from (the tests are built with it)");
    }

    [Theory]
    [InlineData("cells")]
    [InlineData("checks")]
    [InlineData("plan", "kind/hub-z2jh-4/img-sid/profile-default")]
    public async Task JsonIsJsonAndNothingElseOnStdout(params string[] command)
    {
        var (exit, stdout, stderr) = await RawAsync([.. command, "--json"]);

        exit.Should().Be(0, stderr);
        var parse = () => JsonDocument.Parse(stdout);
        parse.Should().NotThrow("stdout is one JSON document");
        stderr.Should().BeEmpty();
    }

    [Fact]
    public async Task CellsGivesEveryIdWholeOnALineOfItsOwnAndTheSameIdsAsJson()
    {
        var (_, json, _) = await RawAsync("cells", "--json");
        var ids = JsonDocument.Parse(json).RootElement.EnumerateArray().Select(c => c.GetProperty("id").GetString()!).ToList();

        var (exit, text, _) = await RawAsync("cells");

        exit.Should().Be(0);
        ids.Should().Contain(id => id.Length > 80, "the matrix has ids longer than Spectre's 80 columns");
        text.Split('\n').Where(l => !l.StartsWith(' ') && l.Length > 0).Should().Equal(ids, "each id at the start of its own line, unwrapped");
    }

    [Fact]
    public async Task TheHelpsExamplesAreQuotedAsAShellNeedsThem()
    {
        var (exit, output) = await KrProcess.RunAsync(Ct, "run", "--help");

        exit.Should().Be(0);
        output.Should().Contain("--cells 'docker/hub-sid/*'").And.Contain("--shard 2/3");
    }

    [Fact]
    public async Task AnUnexpectedErrorIsAHarnessErrorWithOneLineAndWhereItsTraceIs()
    {
        // Given a temp root kr cannot create a run directory in (a real failure nothing in kr expects)
        var (exit, stdout, stderr) = await RawAsync(new Dictionary<string, string> { ["KR_TMP"] = "/proc/kr-not-here", ["KR_OUTPUT"] = _dir }, "run");

        exit.Should().Be(3, "a bug or an environment kr did not foresee is a harness error, never 255");
        stdout.Should().BeEmpty();
        var line = stderr.Trim();
        line.Split('\n').Should().ContainSingle();
        line.Should().StartWith("harness error: ").And.Contain("/proc/kr-not-here");
        var log = System.Text.RegularExpressions.Regex.Match(line, @"the whole trace: (\S+)\)").Groups[1].Value;
        File.ReadAllText(log).Should().Contain("at KernelRegression.Host.Run.Start()");
    }

    [Fact]
    public async Task AShardThatIsNotIOfNIsRefusedBeforeAnythingStarts()
    {
        var (exit, output) = await KrProcess.RunAsync(Ct, "run", "--tier", "docker", "--shard", "4/3");

        exit.Should().Be(2);
        output.Should().Contain("--shard '4/3' is not I/N with 1 <= I <= N");
    }

    [Fact]
    public async Task APipedRunThatIsQuietFor30SecondsSaysWhatIsStillGoing()
    {
        // Given a run whose kernel must stay alive for 40 s: nothing to print meanwhile
        var sw = Stopwatch.StartNew();
        var (exit, stdout, _) = await RawAsync(new Dictionary<string, string> { ["KR_OUTPUT"] = _dir },
            "run", "--cells", "process/hub-host/img-host/profile-host", "--checks", "kernel-starts,stays-alive", "--alive-window", "40");

        exit.Should().Be(0, stdout);
        sw.Elapsed.Should().BeGreaterThan(TimeSpan.FromSeconds(40));
        stdout.Should().MatchRegex(@"\[00:[3-5]\d\] still going: 0 of 1 cell\(s\) done; waiting for process/hub-host/img-host/profile-host");
    }

    /// <summary>kr with stdout and stderr apart (KrProcess joins them).</summary>
    private static Task<(int Exit, string Stdout, string Stderr)> RawAsync(params string[] args) => RawAsync(new Dictionary<string, string>(), args);

    private static async Task<(int Exit, string Stdout, string Stderr)> RawAsync(IReadOnlyDictionary<string, string> env, params string[] args)
    {
        var start = new ProcessStartInfo("dotnet", [KrProcess.Dll, .. args]) { WorkingDirectory = Path.GetTempPath() };
        start.Environment["NO_COLOR"] = "1";
        foreach (var (k, v) in env)
        {
            start.Environment[k] = v;
        }
        var (exit, stdout, stderr) = await ChildProcess.RunAsync(start, Deadline.Of(300), Ct);
        KrProcess.LiteralMarkup().IsMatch(stdout + stderr).Should().BeFalse(stdout + stderr);
        return (exit, stdout, stderr);
    }

    private static async Task<string> GitAsync(params string[] args)
    {
        var start = new ProcessStartInfo("git", args) { WorkingDirectory = FixturePaths.Root };
        return (await ChildProcess.RunAsync(start, TimeSpan.FromSeconds(30), Ct)).Stdout;
    }
}
