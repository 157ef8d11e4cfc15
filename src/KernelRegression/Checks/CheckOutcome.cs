namespace KernelRegression.Checks;

public enum Verdict
{
    Passed,
    Failed,
    Skipped,
}

/// <summary>One check's verdict, with the one-line cause taken from evidence when it failed.</summary>
public sealed record CheckOutcome(string Check, Verdict Verdict, TimeSpan Duration, string? Cause, string Detail)
{
    public static CheckOutcome Pass(string check, TimeSpan d, string detail = "") => new(check, Verdict.Passed, d, null, detail);
    public static CheckOutcome Fail(string check, TimeSpan d, string cause, string detail = "") => new(check, Verdict.Failed, d, cause, detail);
    public static CheckOutcome Skip(string check, string reason) => new(check, Verdict.Skipped, TimeSpan.Zero, reason, "");
}

/// <summary>Everything one cell's run produced: verdicts, step timings, timelines, log tails.</summary>
public sealed record CellResult(
    string CellId,
    IReadOnlyList<CheckOutcome> Checks,
    IReadOnlyList<(string Step, TimeSpan Duration)> Timings,
    IReadOnlyDictionary<string, string> Evidence)
{
    public bool Passed => Checks.All(c => c.Verdict != Verdict.Failed) && Checks.Any(c => c.Verdict == Verdict.Passed);
    /// <summary>The first failure's cause: what the report shows in one line.</summary>
    public string? Cause => Checks.FirstOrDefault(c => c.Verdict == Verdict.Failed)?.Cause;
}
