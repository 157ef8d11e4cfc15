using System.Reflection;

namespace KernelRegression.Cli;

/// <summary>`kr --version`: the version and the engine's git commit, embedded at build (the SDK's SourceLink appends it to the informational version).</summary>
internal static class KrVersion
{
    public static string Text { get; } = Describe(typeof(KernelRegression.Settings).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion);

    public static string Describe(string? informational)
    {
        var parts = (informational ?? "").Split('+', 2);
        var version = parts[0].Length > 0 ? parts[0] : "unknown";
        return parts.Length == 2 && parts[1].Length > 0
            ? $"kr {version}, engine commit {parts[1]}"
            : $"kr {version}, engine commit unknown (built outside a git checkout)";
    }
}
