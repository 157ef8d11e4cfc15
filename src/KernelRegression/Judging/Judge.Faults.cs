using System.Text.RegularExpressions;
using KernelRegression.Checks;
using KernelRegression.Faults;

namespace KernelRegression.Judging;

public static partial class Judge
{
    /// <summary>
    /// A fault row: passed only when the harness saw the fault (a measured detection, within its bound, in the
    /// words expected), the deployment came back within its bound where that is measured, and a student got
    /// the expected answer after it. An error on the way is the deployment's failure, or a harness error
    /// (never a verdict) when the harness broke.
    /// </summary>
    public static Judgement Fault(FaultExpectation expected, FaultEvidence? seen, Exception? error = null)
    {
        var fault = expected.Fault;
        if (error is not null || seen is null)
        {
            return Error(fault, error ?? new HarnessFaultException($"the {fault} row gave no evidence", "report it: a fault check returns evidence or throws"));
        }
        string? failed = seen switch
        {
            { Detected: null } => $"{fault} not seen: {seen.DetectedBy}",
            { Detected: { } d } when d > expected.DetectWithin => $"{fault} seen only {Seconds(d)} after it took effect (bound {Seconds(expected.DetectWithin)}): {seen.DetectedBy}",
            _ when !Regex.IsMatch(seen.DetectedBy, expected.DetectedBy) => $"{fault} seen, but not as expected: «{seen.DetectedBy}» (expected «{expected.DetectedBy}»)",
            _ when expected.RecoverWithin is { } r && !(seen.Recovered <= r) =>
                $"after {fault} the deployment was back only {(seen.Recovered is { } back ? Seconds(back) : "never")} after the fault began (bound {Seconds(r)})",
            _ when !Regex.IsMatch(seen.After, expected.After) => $"after {fault} a student got «{seen.After}» (expected «{expected.After}»)",
            _ => null,
        };
        return failed is not null
            ? new(Outcome.Failed, failed) { Cause = failed }
            : new(Outcome.Passed, $"{fault} seen {Seconds(seen.Detected!.Value)} after it took effect (bound {Seconds(expected.DetectWithin)}): {seen.DetectedBy}; " +
                $"{(seen.Recovered is { } rec ? $"back after {Seconds(rec)}; " : "")}after it: {seen.After}");
    }

    /// <summary>
    /// Many students at once: passed when every one of them spawned, started a kernel and got the right answer.
    /// A student the deployment failed fails the row (a harness error beside it is said, never hiding it);
    /// a student the harness broke on, with none failed, is a harness error.
    /// </summary>
    public static Judgement Crowd(int size, IReadOnlyList<CrowdMember> members)
    {
        var failed = members.Where(m => m.Error is not null).ToList();
        var broken = members.Where(m => m.HarnessError is not null).ToList();
        var beside = broken.Count == 0 ? "" : $"; harness error beside it ({broken.Count} student(s)): {broken[0].HarnessError}";
        if (failed.Count > 0)
        {
            var why = $"{failed.Count} of {members.Count} students failed: {failed[0].Name}: {failed[0].Error}";
            return new(Outcome.Failed, why + beside) { Cause = why };
        }
        if (broken.Count > 0)
        {
            return new(Outcome.HarnessError, $"the harness failed on {broken.Count} of {members.Count} students: {broken[0].HarnessError}") { Cause = broken[0].HarnessError };
        }
        return members.Count != size
            ? new(Outcome.HarnessError, $"the harness failed: {members.Count} students came of the {size} sent") { Cause = $"{members.Count} of {size} students" }
            : new(Outcome.Passed, $"{size} students spawned, started a kernel and ran a cell at once; slowest spawn {Seconds(members.Max(m => m.Spawn))}, " +
                $"slowest kernel {Seconds(members.Max(m => m.KernelReady))}{(members.Count(m => m.Relaunched is not null) is > 0 and var n ? $"; {n} kernel(s) relaunched at start (port race)" : "")}");
    }

    private static Judgement Error(string fault, Exception error)
    {
        var what = (error is ActionableException h ? h.What : $"{error.GetType().Name}: {error.Message}").Split('\n')[0];
        return Blame.IsHarness(error)
            ? new(Outcome.HarnessError, $"the harness failed during {fault}: {what}") { Cause = what }
            : new(Outcome.Failed, $"{fault}: the deployment failed under the fault: {what}") { Cause = what };
    }

    private static string Seconds(TimeSpan t) => $"{t.TotalSeconds:0.0#} s";
}
