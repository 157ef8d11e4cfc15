using KernelRegression.Checks;

namespace KernelRegression.Cli;

/// <summary>kr checks: every check the engine has, what it proves, and what it needs.</summary>
public sealed class ChecksCommand : Command<ChecksCommand.Arguments>
{
    public sealed class Arguments : CommandSettings
    {
        [CommandOption("--json")]
        [Description("the checks as JSON on stdout (name, needs, destructive, passes_when), nothing else")]
        public bool Json { get; init; }
    }

    /// <summary>One check as `--json` gives it.</summary>
    public sealed record CheckJson(string Name, string Needs, bool Destructive, string PassesWhen);

    public override int Execute(CommandContext context, Arguments settings, CancellationToken cancellationToken)
    {
        var checks = CheckCatalog.All.Select(c => new CheckJson(c.Name, c.Needs.ToString().ToLowerInvariant(), c.Destructive, c.Description)).ToList();
        if (settings.Json)
        {
            return Terminal.WriteJson(checks);
        }
        var table = new Table().AddColumns("check", "needs", "destructive", "passes when");
        foreach (var c in checks)
        {
            table.AddRow(new Text(c.Name), new Text(c.Needs), new Text(c.Destructive ? "yes" : "no"), new Text(c.PassesWhen));
        }
        AnsiConsole.Write(table);
        return 0;
    }
}
