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
    /// <summary>Nothing ran that could show the cell's expectation (the tier or machine cannot, with the reason): never coverage.</summary>
    Skipped,
}

/// <summary>Everything a report, the console or a test needs to know about an outcome, said in one place.</summary>
public static class Outcomes
{
    /// <summary>In the order reports list them: what needs a human first.</summary>
    public static IReadOnlyList<Outcome> ReportOrder { get; } =
        [Outcome.HarnessError, Outcome.Failed, Outcome.FailedOtherCause, Outcome.UnexpectedPass, Outcome.ExpectedFailure, Outcome.Skipped, Outcome.Passed];

    /// <summary>In the order a one-line count lists them.</summary>
    private static readonly Outcome[] CountOrder =
        [Outcome.Passed, Outcome.Failed, Outcome.FailedOtherCause, Outcome.ExpectedFailure, Outcome.UnexpectedPass, Outcome.HarnessError, Outcome.Skipped];

    /// <summary>How each outcome is said: its name, its label, its marks and its colour, one row each.</summary>
    private sealed record Said(string Name, string Label, string Symbol, string TextSymbol, string Colour);

    private static readonly Dictionary<Outcome, Said> Words = new()
    {
        [Outcome.Passed] = new("passed", "passed", "✅", "✓", "green"),
        [Outcome.Failed] = new("failed", "failed", "❌", "✗", "red"),
        [Outcome.ExpectedFailure] = new("expected-failure", "expected failure", "⚠️", "⚠", "yellow"),
        [Outcome.FailedOtherCause] = new("failed-other-cause", "failed (another cause)", "❌", "✗", "red"),
        [Outcome.UnexpectedPass] = new("unexpected-pass", "unexpected pass", "❗", "!", "red"),
        [Outcome.HarnessError] = new("harness-error", "harness error", "🛠", "⚙", "red"),
        [Outcome.Skipped] = new("skipped", "skipped", "⏭", "–", "grey"),
    };

    /// <summary>The outcome's name in reports, JSON, CSS classes and the history.</summary>
    public static string Name(this Outcome o) => Words[o].Name;

    /// <summary>How a person reads it.</summary>
    public static string Label(this Outcome o) => Words[o].Label;

    /// <summary>The Markdown mark: emoji, which GitHub renders everywhere.</summary>
    public static string Symbol(this Outcome o) => Words[o].Symbol;

    /// <summary>
    /// The HTML mark: plain symbols every system font has (a headless or server browser often has no
    /// emoji font and would draw empty boxes).
    /// </summary>
    public static string TextSymbol(this Outcome o) => Words[o].TextSymbol;

    /// <summary>The console's colour for it (a Spectre.Console colour name).</summary>
    public static string Colour(this Outcome o) => Words[o].Colour;

    /// <summary>Whether the cell met its expectation: a pass, or a known-bad cell caught with its cause. A skip did not: nothing showed it.</summary>
    public static bool MetExpectation(this Outcome o) => o is Outcome.Passed or Outcome.ExpectedFailure;

    /// <summary>Whether it is a verdict on the deployment (neither the harness's failure nor a skip).</summary>
    public static bool IsVerdict(this Outcome o) => o is not (Outcome.HarnessError or Outcome.Skipped);

    /// <summary>A real failure of the deployment: the cell did not meet its expectation, and the harness saw why.</summary>
    public static bool IsRealFailure(this Outcome o) => o is Outcome.Failed or Outcome.FailedOtherCause or Outcome.UnexpectedPass;

    /// <summary>Counts in one line ("3 passed, 0 failed, 1 expected failure"): passed and failed always, the others when there are any.</summary>
    public static string Summary(IEnumerable<Outcome> outcomes)
    {
        var all = outcomes.ToList();
        return string.Join(", ", CountOrder.Select(o => (o, n: all.Count(x => x == o)))
            .Where(x => x.n > 0 || x.o.AlwaysCounted())
            .Select(x => $"{x.n} {x.o.Label()}"));
    }

    /// <summary>Counted in every summary, even at zero.</summary>
    public static bool AlwaysCounted(this Outcome o) => o is Outcome.Passed or Outcome.Failed;
}
