using KernelRegression.Checks;

namespace KernelRegression.Cli;

/// <summary>kr checks: every check the engine has, what it proves, and what it needs.</summary>
public sealed class ChecksCommand : Command
{
    public override int Execute(CommandContext context, CancellationToken cancellationToken)
    {
        var table = new Table().AddColumns("check", "needs", "destructive", "passes when");
        foreach (var c in CheckCatalog.All)
        {
            table.AddRow(new Text(c.Name), new Text(c.Needs.ToString().ToLowerInvariant()), new Text(c.Destructive ? "yes" : "no"), new Text(c.Description));
        }
        AnsiConsole.Write(table);
        return 0;
    }
}
