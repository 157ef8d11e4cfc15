using System.Text.Json;
using System.Text.Json.Serialization;

namespace KernelRegression.Cli;

/// <summary>
/// Where kr's output goes and how. A terminal gets colours and Spectre's layout; a pipe or a file gets plain lines
/// that are never wrapped (Spectre wraps at 80 columns when it cannot ask a terminal, which cut cell ids in two).
/// Errors go to stderr, so `--json` leaves nothing but JSON on stdout.
/// </summary>
internal static class Terminal
{
    /// <summary>Wide enough that no line kr prints is wrapped, without a terminal to ask.</summary>
    private const int Unwrapped = 100_000;

    private static readonly JsonSerializerOptions Json = new()
    {
        WriteIndented = true,
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };

    public static bool IsTerminal { get; } = !Console.IsOutputRedirected;

    /// <summary>The console errors and usage messages go to (stderr), styled as stdout is.</summary>
    public static IAnsiConsole Errors { get; } = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(Console.Error) });

    public static void Setup()
    {
        if (!IsTerminal)
        {
            AnsiConsole.Profile.Width = Unwrapped;
        }
        if (Console.IsErrorRedirected)
        {
            Errors.Profile.Width = Unwrapped;
        }
    }

    /// <summary>A command's `--json` answer: the value as indented JSON (snake_case keys, as the matrix file's) on stdout, alone.</summary>
    public static int WriteJson<T>(T value)
    {
        Console.Out.WriteLine(JsonSerializer.Serialize(value, Json));
        return 0;
    }
}
