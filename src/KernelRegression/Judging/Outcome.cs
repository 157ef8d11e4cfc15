namespace KernelRegression.Judging;

/// <summary>What a cell's run means, given what the matrix expected of it.</summary>
public enum Outcome
{
    /// <summary>Healthy, as expected.</summary>
    Passed,
    /// <summary>Expected to pass, and did not.</summary>
    Failed,
    /// <summary>Known-bad, and failed with its known cause: the suite still catches it.</summary>
    ExpectedFailure,
    /// <summary>Known-bad, but failed for another reason: the known failure was not shown, something else broke.</summary>
    FailedOtherCause,
    /// <summary>Known-bad, and passed: fixed upstream, or the suite no longer catches it.</summary>
    UnexpectedPass,
    /// <summary>The harness broke (image, hub, Docker, the suite's own bug): no verdict on the deployment.</summary>
    HarnessError,
    /// <summary>Nothing ran: the tier cannot (with the reason).</summary>
    Skipped,
}

public static class Outcomes
{
    /// <summary>In the order reports list them: what needs a human first.</summary>
    public static IReadOnlyList<Outcome> ReportOrder { get; } =
        [Outcome.HarnessError, Outcome.Failed, Outcome.FailedOtherCause, Outcome.UnexpectedPass, Outcome.ExpectedFailure, Outcome.Skipped, Outcome.Passed];

    /// <summary>The outcome's name in reports, JSON and the console.</summary>
    public static string Name(this Outcome o) => o switch
    {
        Outcome.Passed => "passed",
        Outcome.Failed => "failed",
        Outcome.ExpectedFailure => "expected-failure",
        Outcome.FailedOtherCause => "failed-other-cause",
        Outcome.UnexpectedPass => "unexpected-pass",
        Outcome.HarnessError => "harness-error",
        _ => "skipped",
    };

    /// <summary>How a person reads it.</summary>
    public static string Label(this Outcome o) => o switch
    {
        Outcome.Passed => "passed",
        Outcome.Failed => "failed",
        Outcome.ExpectedFailure => "expected failure",
        Outcome.FailedOtherCause => "failed (another cause)",
        Outcome.UnexpectedPass => "unexpected pass",
        Outcome.HarnessError => "harness error",
        _ => "skipped",
    };

    /// <summary>Whether the cell met its expectation (a run exits 0 only when every cell did).</summary>
    public static bool MetExpectation(this Outcome o) => o is Outcome.Passed or Outcome.ExpectedFailure or Outcome.Skipped;
}
