namespace KernelRegression.Judging;

/// <summary>What a whole run means: its exit code and why.</summary>
public enum RunVerdict
{
    /// <summary>Every cell met its expectation (exit 0).</summary>
    AllMet,
    /// <summary>A cell did not: a real failure, a skip (never coverage), or a step slower than usual under --strict-latency (exit 1).</summary>
    NotMet,
    /// <summary>The harness broke on a cell and no cell failed for real (exit 3): no verdict on the deployment.</summary>
    HarnessError,
}

/// <summary>A run's verdict and the sentence the console ends with.</summary>
public sealed record RunJudgement(RunVerdict Verdict, string Why)
{
    /// <summary>The process exit code, as the README documents it.</summary>
    public int ExitCode => Verdict switch
    {
        RunVerdict.AllMet => 0,
        RunVerdict.NotMet => 1,
        _ => 3,
    };
}

public static partial class Judge
{
    /// <summary>
    /// A run (one or more iterations of the same cells) exits 0 only when every cell met its expectation
    /// in every iteration. A real failure decides before a harness error (the harness error is said
    /// beside it, never hiding it); a harness error anywhere else makes the run "no verdict"; a skipped cell
    /// met nothing (a known-bad cell whose checks could not run proves nothing is still caught).
    /// </summary>
    public static RunJudgement Run(IReadOnlyList<IReadOnlyList<CellReport>> iterations, bool strictLatency = false, int slowerThanUsual = 0)
    {
        var all = iterations.SelectMany(i => i).ToList();
        var failed = all.Where(c => c.Outcome.IsRealFailure()).Select(c => c.Result.CellId).Distinct().ToList();
        var broken = all.Where(c => c.Judgement.HarnessErrors.Count > 0).Select(c => c.Result.CellId).Distinct().ToList();
        var skipped = all.Where(c => c.Outcome == Outcome.Skipped).Select(c => c.Result.CellId).Distinct().ToList();
        var beside = broken.Count == 0 ? "" : $"; the harness also broke on {Cells(broken)} (said beside it, no verdict there)";
        if (failed.Count > 0)
        {
            return new(RunVerdict.NotMet, $"{Cells(failed)} did not meet the expected outcome{beside}");
        }
        if (broken.Count > 0)
        {
            return new(RunVerdict.HarnessError, $"harness error: the suite itself broke on {Cells(broken)} (no verdict on the deployment)");
        }
        if (skipped.Count > 0)
        {
            return new(RunVerdict.NotMet, $"{Cells(skipped)} skipped: nothing ran to show the expected outcome (a skip is never coverage)");
        }
        return strictLatency && slowerThanUsual > 0
            ? new(RunVerdict.NotMet, $"{slowerThanUsual} step(s) slower than usual, and --strict-latency fails the run")
            : new(RunVerdict.AllMet, "every cell met its expected outcome");
    }

    private static string Cells(List<string> ids) => ids.Count == 1 ? $"1 cell ({ids[0]})" : $"{ids.Count} cells ({ids[0]}, …)";
}
