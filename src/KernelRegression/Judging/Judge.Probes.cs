namespace KernelRegression.Judging;

/// <summary>What one bisect probe found: good, bad, or no verdict (a harness error, another failure, nothing ran, values that do not parse), like `git bisect skip`.</summary>
public enum ProbeVerdict
{
    Good,
    Bad,
    Skip,
}

/// <summary>A probe's verdict, why when it is no verdict, and the cell whose failure decided it (its cause is the step's).</summary>
public sealed record ProbeJudgement(ProbeVerdict Verdict, string? Why, CellReport? Deciding)
{
    public string? Cause => Deciding?.OneLineCause;
}

public static class ProbeVerdicts
{
    public static bool IsBad(this ProbeVerdict v) => v == ProbeVerdict.Bad;

    /// <summary>How it reads in the bisect report and on the console.</summary>
    public static string Label(this ProbeVerdict v) => v switch
    {
        ProbeVerdict.Good => "good",
        ProbeVerdict.Bad => "bad",
        _ => "skipped",
    };

    /// <summary>The console's colour for it (a Spectre.Console colour name).</summary>
    public static string Colour(this ProbeVerdict v) => v switch
    {
        ProbeVerdict.Good => "green",
        ProbeVerdict.Bad => "red",
        _ => "yellow",
    };
}

/// <summary>
/// One rule for every bisect (`kr bisect image|hub|profile` and `kr bisect commits`): a probe's cells are
/// judged by <see cref="Judge"/>, each against its own expectation. The probe is bad when a cell fails for
/// real with the bad end's kind of failure (<see cref="CauseSignature"/>, fixed when the bad end is probed),
/// even beside a harness error; it has no verdict (skipped, as `git bisect skip` does) when a cell fails
/// another way, the harness broke on a cell, or nothing ran; it is good when every cell met its expectation.
/// </summary>
public sealed class ProbeJudge
{
    private string? _badSignature;

    public ProbeJudgement Decide(bool badEnd, IReadOnlyList<CellReport> cells)
    {
        var failing = cells.Where(c => c.Outcome.IsRealFailure()).ToList();
        if (failing.Count > 0)
        {
            if (badEnd)
            {
                _badSignature = CauseSignature.Of(failing[0].OneLineCause);
            }
            var same = _badSignature is null ? failing[0] : failing.FirstOrDefault(f => CauseSignature.Of(f.OneLineCause) == _badSignature);
            return same is not null
                ? new(ProbeVerdict.Bad, null, same)
                : new(ProbeVerdict.Skip, $"failed for another reason ({failing[0].OneLineCause}), not the bad end's failure", failing[0]);
        }
        if (cells.FirstOrDefault(c => c.Judgement.HarnessErrors.Count > 0) is { } broken)
        {
            return new(ProbeVerdict.Skip, $"harness error: {broken.Judgement.HarnessErrors[0].Cause}", broken);
        }
        if (cells.FirstOrDefault(c => c.Outcome == Outcome.Skipped) is { } skipped)
        {
            return new(ProbeVerdict.Skip, $"nothing ran: {skipped.OneLineCause}", skipped);
        }
        return cells.Count == 0 ? NoProbe("no cell to run") : new(ProbeVerdict.Good, null, null);
    }

    /// <summary>A probe that could not run at all (a value that cannot be used, values that do not parse, a harness that could not stand it up).</summary>
    public static ProbeJudgement NoProbe(string why) => new(ProbeVerdict.Skip, why, null);
}
