using KernelRegression.Suite.Cli;

namespace KernelRegression.Suite.Checks;

/// <summary>
/// A check passes only on what it saw happen, on a real hub with real kernels: the restart check must
/// have seen its variable set before it can say the restart forgot it; the notebook check must have run
/// a code cell before it can say the notebook reproduces its outputs.
/// </summary>
public sealed class ChecksObserveTests(ProcessFixture process) : IDisposable
{
    private const string ProcessCell = "process/hub-host/img-host/profile-host";
    private readonly string _dir = Directory.CreateTempSubdirectory("kr-checks-observe-").FullName;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    /// <summary>
    /// A kernel that shows no expression results (IPython's ast_node_interactivity=none, a setting a
    /// deployment's kernelspec can carry): the restart check's variable is set but never seen, and after
    /// the restart the kernel raises NameError as any restarted kernel does.
    /// </summary>
    [Fact]
    public async Task TheRestartCheckFailsWhenItNeverSawItsVariableSet()
    {
        // Given the process hub, and a student whose kernelspec shows no expression results
        const string kernel = "kr-no-results";
        var scenario = new Scenario
        {
            Name = "restart-unseen-marker",
            Setup = new Scenario.ScenarioSetup
            {
                Kernel = kernel,
                UserFiles = new Dictionary<string, string>
                {
                    [$".local/share/jupyter/kernels/{kernel}/kernel.json"] = """
                        {
                          "argv": ["/usr/bin/python3", "-m", "ipykernel_launcher", "-f", "{connection_file}", "--InteractiveShell.ast_node_interactivity=none"],
                          "display_name": "KernelRegression: a kernel that shows no expression results",
                          "language": "python"
                        }
                        """,
                },
            },
        };
        var cell = new MatrixCell(TierName.Process, new HubSpec("host", "host"), new ImageSpec("host", null, "default", "none", "none", null) { IsHost = true }, "host", scenario.Name, Expectation.Pass)
        {
            Checks = ["kernel-starts", "restart"],
        };
        var deployment = new CellDeployment(process.Hub, null, null, LaunchProfile.Resolve("host"), scenario);

        // When the kernel starts and is restarted
        var result = await CellRunner.RunAsync(cell, deployment, CheckCatalog.Resolve(cell.Checks), CheckOptions.Default, Ct);
        var judgement = Judge.Decide(result);

        // Then the kernel started for real, and the restart check says it saw no variable to forget
        var checks = string.Join("; ", result.Checks.Select(c => $"{c.Check} {c.Verdict}: {c.Cause ?? c.Detail}"));
        result.Checks.Single(c => c.Check == "kernel-starts").Verdict.Should().Be(Verdict.Passed, checks);
        var restart = result.Checks.Single(c => c.Check == "restart");
        restart.Verdict.Should().Be(Verdict.Failed, checks);
        restart.Cause.Should().Contain("before the restart").And.Contain("kr_marker");
        judgement.Outcome.Should().Be(Outcome.Failed, judgement.Why);
    }

    [Fact]
    public async Task TheNotebookCheckFailsANotebookWithNoCodeCell()
    {
        _ = process.Hub; // the process tier is here (or the test shows why not)
        // Given a copy of the fixtures whose student notebook holds only a Markdown cell
        var fixtures = FixtureCopy.Into(_dir);
        File.WriteAllText(Path.Combine(fixtures, "notebooks", "student-lab.ipynb"), """
            {"cells": [{"cell_type": "markdown", "metadata": {}, "source": ["# Lab 1\n", "Nothing to run here."]}],
             "metadata": {"kernelspec": {"name": "python3", "display_name": "Python 3", "language": "python"}}, "nbformat": 4, "nbformat_minor": 5}
            """);

        // When kr runs the notebook check with it
        var (exit, output) = await KrProcess.RunAsync(new Dictionary<string, string> { ["KR_FIXTURES"] = fixtures, ["KR_OUTPUT"] = Path.Combine(_dir, "runs") },
            Deadline.Of(300), Ct, "run", "--cells", ProcessCell, "--checks", "notebook");

        // Then the cell fails: a notebook with nothing to run reproduces nothing
        exit.Should().Be(1, output);
        output.Should().Contain("no code cell");
    }
}
