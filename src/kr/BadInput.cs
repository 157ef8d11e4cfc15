using KernelRegression;

namespace KernelRegression.Cli;

/// <summary>How every command reports a harness error: what went wrong, what to do (on stderr), exit code 2.</summary>
internal static class BadInput
{
    public const int ExitCode = 2;

    public static int Report(ActionableException e)
    {
        RunLog.Write($"error: {e.What} (what to do: {e.Fix})");
        Terminal.Errors.MarkupLineInterpolated($"[red]error:[/] {Secrets.Redact(e.What)}");
        Terminal.Errors.MarkupLineInterpolated($"[yellow]what to do:[/] {e.Fix}");
        return ExitCode;
    }
}
