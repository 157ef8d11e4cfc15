
namespace KernelRegression.Cli;

/// <summary>
/// An exception no command expected is a bug of the harness, never a verdict: one line on stderr (what was thrown,
/// and where its whole trace is), exit 3, as a harness error on a cell is. It used to print Spectre's stack trace
/// and exit 255.
/// </summary>
internal static class HarnessError
{
    public const int ExitCode = 3;

    public static int Report(Exception e)
    {
        var log = RunLog.Error(e);
        var first = Secrets.Redact(e.Message.Split('\n')[0].Trim());
        Terminal.Errors.MarkupLineInterpolated($"[red]harness error:[/] {e.GetType().Name}: {first} (the whole trace: {log}); exit {ExitCode}");
        return ExitCode;
    }
}
