
namespace KernelRegression.Checks;

public enum Verdict
{
    Passed,
    Failed,
    /// <summary>Not run: an earlier step it needs failed (the cause says which).</summary>
    NotAttempted,
    /// <summary>Not run: the tier cannot do what the check needs (the cause says why).</summary>
    Skipped,
    /// <summary>The harness broke, not the deployment: never a verdict on the deployment.</summary>
    HarnessError,
}

/// <summary>One check's verdict, with the one-line cause taken from evidence when it did not pass.</summary>
public sealed record CheckOutcome(string Check, Verdict Verdict, TimeSpan Duration, string? Cause, string Detail)
{
    public static CheckOutcome Pass(string check, TimeSpan d, string detail = "") => new(check, Verdict.Passed, d, null, detail);
    public static CheckOutcome Fail(string check, TimeSpan d, string cause, string detail = "") => new(check, Verdict.Failed, d, cause, detail);
    public static CheckOutcome NotAttempted(string check, string because) => new(check, Verdict.NotAttempted, TimeSpan.Zero, because, "not attempted");
    public static CheckOutcome Skip(string check, string reason) => new(check, Verdict.Skipped, TimeSpan.Zero, reason, "");
    public static CheckOutcome HarnessError(string check, TimeSpan d, string cause, string detail = "") => new(check, Verdict.HarnessError, d, cause, detail);

    /// <summary>It ran to its end and saw what it checks hold.</summary>
    public bool Passed => Verdict == Verdict.Passed;

    /// <summary>It ran (as opposed to not attempted or skipped): its time is the cell's.</summary>
    public bool Ran => Verdict is not (Verdict.NotAttempted or Verdict.Skipped);

    /// <summary>The verdict's name in JSON and CSS classes.</summary>
    public string VerdictName => Verdict switch
    {
        Verdict.Passed => "passed",
        Verdict.Failed => "failed",
        Verdict.NotAttempted => "not-attempted",
        Verdict.Skipped => "skipped",
        _ => "harness-error",
    };

    /// <summary>How the verdict reads in reports and on the console.</summary>
    public string VerdictLabel => Verdict switch
    {
        Verdict.Passed => "passed",
        Verdict.Failed => "failed",
        Verdict.NotAttempted => "not attempted",
        Verdict.Skipped => "skipped",
        _ => "harness error",
    };
}
