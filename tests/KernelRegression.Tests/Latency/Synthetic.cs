namespace KernelRegression.Tests.Latency;

/// <summary>Step timings, timelines and log lines written the way the harness records them, for the latency tests.</summary>
internal static class Synthetic
{
    public const string User = "student-ab12cd34";

    public static IReadOnlyList<StepTiming> Steps(params (string Step, double Ms)[] steps) =>
        [.. steps.Select(s => new StepTiming(s.Step, TimeSpan.FromMilliseconds(s.Ms)))];

    public static TimelineEntry Sent(double ms, string type, string id) => new(TimeSpan.FromMilliseconds(ms), "→", "shell", type, id, null, "");

    public static TimelineEntry Got(double ms, string channel, string type, string parent, string summary = "") =>
        new(TimeSpan.FromMilliseconds(ms), "←", channel, type, "r" + ms, parent, summary);

    /// <summary>Evidence holding only this message timeline.</summary>
    public static CellEvidence Timeline(params TimelineEntry[] entries) => CellEvidence.Empty with { Timeline = entries };

    /// <summary>A healthy cell's steps: what the process tier records, in its order.</summary>
    public static IReadOnlyList<StepTiming> HealthyRun(double spawnMs = 3000, double connectMs = 600, double firstExecuteMs = 80) => Steps(
        ("spawn", spawnMs), ("kernel-start", 300), ("kernel-connect", connectMs), ("kernel-ready", 60),
        ("execute", firstExecuteMs), ("execute", 50), ("execute", 45), ("alive-window", 10_000),
        ("interrupt", 60), ("execute", 40), ("restart", 2500), ("execute", 120),
        ("session-start", 90), ("kernel-ready", 50), ("execute", 55), ("execute", 60),
        ("kernel-start", 70), ("kernel-connect", 500), ("kernel-ready", 50), ("server-stop", 700));

    public static StepBudgets Budgets(params (string Step, double Seconds)[] budgets) =>
        StepBudgets.None.With(budgets.ToDictionary(b => b.Step, b => b.Seconds), "default");
}
