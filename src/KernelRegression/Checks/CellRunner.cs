using System.Diagnostics;
using KernelRegression.Evidence;
using KernelRegression.Logs;
using KernelRegression.Jupyter;
using KernelRegression.Tiers;

namespace KernelRegression.Checks;

/// <summary>Which of the standard checks to run, and the stays-alive window.</summary>
public sealed record CheckSelection(IReadOnlySet<string> Checks, TimeSpan AliveWindow)
{
    public static readonly IReadOnlyList<string> All = ["kernel-starts", "executes", "stays-alive", "interrupt", "restart", "notebook"];
    /// <summary>The checks that change nothing a real user would notice (for a live, existing hub).</summary>
    public static readonly IReadOnlyList<string> NonDestructive = ["kernel-starts", "executes", "stays-alive", "notebook"];

    public static CheckSelection Default { get; } = new(All.ToHashSet(), TimeSpan.FromSeconds(10));
}

/// <summary>
/// Runs the standard kernel checks as one student on a deployment and turns each into a verdict
/// with its cause. This is what a matrix cell is, whether run by xUnit or by the kr command.
/// Once the kernel is dead, later checks fail with the same cause instead of timing out again.
/// </summary>
public static class CellRunner
{
    public static async Task<CellResult> RunAsync(string cellId, IHubDeployment deployment, CheckSelection selection, CancellationToken ct,
        System.Text.Json.Nodes.JsonObject? userOptions = null, Matrix.Scenario? scenario = null)
    {
        var kernelName = scenario?.Setup.Kernel ?? "python3";
        var outcomes = new List<CheckOutcome>();
        var evidence = new Dictionary<string, string>();
        Student? student = null;
        KernelConnection? kernel = null;
        string? fatal = null;

        async Task Check(string name, Func<Task<string>> body)
        {
            if (!selection.Checks.Contains(name))
            {
                return;
            }
            if (fatal is not null)
            {
                outcomes.Add(CheckOutcome.Fail(name, TimeSpan.Zero, fatal, "not attempted: an earlier step failed"));
                return;
            }
            var sw = Stopwatch.StartNew();
            try
            {
                var detail = await body();
                outcomes.Add(CheckOutcome.Pass(name, sw.Elapsed, detail));
            }
            catch (Exception e) when (e is HarnessException or CheckFailedException)
            {
                var cause = e switch
                {
                    KernelDiedException d => d.Cause,
                    SpawnFailedException f => f.Cause ?? $"spawn failed: {f.HubMessage}",
                    // An API error is the symptom; the server's own log usually holds the reason.
                    JupyterApiException a => await CellEvidence.ServerLogCauseAsync(deployment, student) ?? a.What.Split('\n')[0],
                    DeadlineExceededException d => await CellEvidence.ServerLogCauseAsync(deployment, student) ?? $"timed out waiting for {d.Awaited}; last seen: {d.LastSeen}",
                    HarnessException h => h.What.Split('\n')[0],
                    _ => e.Message,
                };
                outcomes.Add(CheckOutcome.Fail(name, sw.Elapsed, cause, e.Message));
                if (e is not CheckFailedException)
                {
                    fatal = cause;
                }
            }
        }

        try
        {
            await Check("kernel-starts", async () =>
            {
                // Created before the spawn, so a spawn that fails still leaves a student to collect evidence about.
                student = Student.Create(deployment, userOptions: userOptions);
                await student.SpawnServerAsync(ct);
                await PrepareAsync(deployment, student, scenario, ct);
                (kernel, var start) = await KernelChecks.StartsAsync(student, ct, kernelName);
                Expect(start.ExecutionState == "idle", $"state after kernel_info is {start.ExecutionState}, not idle");
                return $"{start.Implementation} {start.LanguageVersion} over {start.Protocol}";
            });
            if (selection.Checks.Contains("kernel-starts") is false && fatal is null)
            {
                student = Student.Create(deployment, userOptions: userOptions);
                await student.SpawnServerAsync(ct);
                (kernel, _) = await KernelChecks.StartsAsync(student, ct, kernelName);
            }
            await Check("executes", async () =>
            {
                if (scenario?.Setup.Cell is { } trigger)
                {
                    var t = await KernelChecks.ExecutesAsync(student!, kernel!, trigger, ct, Deadline.Of(60));
                    Expect(t.Status == "ok", $"the scenario's cell gave {t}");
                }
                var r = await KernelChecks.ExecutesAsync(student!, kernel!, "import sys, json\nprint('out'); print('err', file=sys.stderr)\njson.loads('[1, 2]')[1] + 40", ct);
                Expect(r.Status == "ok" && r.Result == "42" && r.Stdout == "out\n" && r.Stderr == "err\n", $"cell gave {r}");
                var e = await KernelChecks.ExecutesAsync(student!, kernel!, "1/0", ct, meantToFail: true);
                Expect(e.Error?.Name == "ZeroDivisionError", $"error cell gave {e}");
                var d = await KernelChecks.ExecutesAsync(student!, kernel!, "from IPython.display import display, Markdown\ndisplay(Markdown('*x*'))", ct);
                Expect(d.DisplayData.Count == 1 && d.DisplayData[0]["text/markdown"]?.ToString() == "*x*", $"display cell gave {d}");
                return $"round trip {r.Duration.TotalMilliseconds:0} ms";
            });
            await Check("stays-alive", async () =>
            {
                var a = await KernelChecks.StaysAliveAsync(student!, kernel!, selection.AliveWindow, ct);
                Expect(a.Events.Count == 0 && a.StillListed && a.Answer == "'alive'", $"events {string.Join(", ", a.Events)}; listed {a.StillListed}");
                return $"{selection.AliveWindow.TotalSeconds:0} s without restarting/dead";
            });
            await Check("interrupt", async () =>
            {
                var i = await KernelChecks.InterruptsAsync(student!, kernel!, ct);
                Expect(i.Interrupted.Error?.Name == "KeyboardInterrupt" && i.After.Result == "42", $"interrupted cell gave {i.Interrupted}; after: {i.After}");
                return $"interrupted in {i.InterruptToReply.TotalMilliseconds:0} ms";
            });
            await Check("restart", async () =>
            {
                var r = await KernelChecks.RestartsAsync(student!, kernel!, ct);
                Expect(r.After.Error?.Name == "NameError", $"after restart the old variable gave {r.After}");
                return r.Reconnected ? "state gone after restart (the old socket stayed silent: reconnected)" : "state gone after restart";
            });
            await Check("notebook", async () =>
            {
                var n = await NotebookRun.RunAsync(student!, FixturePaths.Of("notebooks", "student-lab.ipynb"), ct);
                var bad = n.Mismatches.FirstOrDefault();
                Expect(bad is null, $"cell {bad?.Index} expected «{bad?.Expected.Trim()}», got «{bad?.Actual.Trim()}»");
                return $"{n.Cells.Count} cells matched";
            });
        }
        finally
        {
            if (kernel is not null)
            {
                evidence["timeline"] = string.Join('\n', kernel.Timeline.Entries);
            }
            if (student is not null)
            {
                await CellEvidence.CollectAsync(deployment, student, kernel, userOptions, evidence);
            }
            // A server that never came up may have left its last words only in the hub's log (the spawner copies them there).
            evidence["server-log"] = student is null ? ""
                : student.SpawnLog.Count > 0 ? string.Join('\n', student.SpawnLog.TakeLast(200))
                : deployment.KernelLog(student.Name).Tail(200);
            evidence["hub-log"] = deployment.HubLog.Tail(200);
            if (student is not null)
            {
                await student.DisposeAsync();
            }
        }
        return new CellResult(cellId, CellEvidence.ExplainFromFacts(outcomes, evidence), student?.Timings.Steps ?? [], evidence);
    }

    /// <summary>Files a scenario leaves in the home before the kernel starts (a student's earlier session).</summary>
    private static async Task PrepareAsync(IHubDeployment deployment, Student student, Matrix.Scenario? scenario, CancellationToken ct)
    {
        var files = scenario?.UserFiles().ToList() ?? [];
        if (files.Count == 0)
        {
            return;
        }
        if (deployment is not Faults.IFaultInjector tier)
        {
            throw new Faults.FaultNotSupportedException("write into a user's home", deployment.Tier, "it offers no faults");
        }
        foreach (var (path, content) in files)
        {
            await tier.WriteUserFileAsync(student.Name, path, content, ct);
        }
    }

    private static void Expect(bool condition, string otherwise)
    {
        if (!condition)
        {
            throw new CheckFailedException(otherwise);
        }
    }
}

/// <summary>A check ran to the end and saw the wrong thing (as opposed to a death or a deadline).</summary>
public sealed class CheckFailedException(string message) : Exception(message);
