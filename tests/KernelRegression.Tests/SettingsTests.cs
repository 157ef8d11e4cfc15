using System.Text.RegularExpressions;

namespace KernelRegression.Tests;

/// <summary>Every KR_* variable a user sets is read in Settings and documented in the README's table, and nothing else is.</summary>
public sealed partial class SettingsTests
{
    private static string Repo(params string[] parts) => Path.Combine([FixturePaths.Root, "..", .. parts]);

    [Fact]
    public void TheReadmesVariableTableIsExactlyTheSettings()
    {
        var readme = File.ReadAllText(Repo("README.md"));
        var table = readme[readme.IndexOf("## Environment variables", StringComparison.Ordinal)..];
        table = table[..table.IndexOf("\n## ", 5, StringComparison.Ordinal)];

        var documented = Row().Matches(table).SelectMany(m => Variable().Matches(m.Groups[1].Value).Select(v => v.Value)).ToHashSet();

        documented.Should().BeEquivalentTo(Settings.All.Select(s => s.Name));
    }

    [Fact]
    public void NoCodeOutsideSettingsReadsAUserSetting()
    {
        var names = Settings.All.Select(s => s.Name).ToHashSet();
        var offenders = Directory.EnumerateFiles(Repo("src"), "*.cs", SearchOption.AllDirectories)
            .Concat(Directory.EnumerateFiles(Repo("tests"), "*.cs", SearchOption.AllDirectories))
            .Where(f => !f.Contains("/obj/", StringComparison.Ordinal) && !f.EndsWith("Settings.cs", StringComparison.Ordinal))
            .SelectMany(f => Read().Matches(File.ReadAllText(f)).Select(m => (File: Path.GetFileName(f), Name: m.Groups[1].Value)))
            .Where(r => names.Contains(r.Name))
            .ToList();

        offenders.Should().BeEmpty("user settings are read through Settings");
    }

    [GeneratedRegex(@"^\| ((?:`KR_[A-Z_]+`(?:, )?)+) \|", RegexOptions.Multiline)]
    private static partial Regex Row();

    [GeneratedRegex(@"KR_[A-Z_]+")]
    private static partial Regex Variable();

    [GeneratedRegex(@"GetEnvironmentVariable\(""(KR_[A-Z_]+)""\)")]
    private static partial Regex Read();
}
