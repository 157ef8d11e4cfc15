using KernelRegression;
using KernelRegression.Matrix;

namespace KernelRegression.Cli;

/// <summary>kr cells: the matrix's default cells, with what each is expected to do.</summary>
public sealed class CellsCommand : Command<CellsCommand.Arguments>
{
    public sealed class Arguments : MatrixSettings
    {
        [CommandOption("--cells <GLOBS>")]
        [Description("comma-separated globs on cell ids (or KR_CELLS)")]
        public string? Cells { get; init; } = Settings.Cells;

        [CommandOption("--json")]
        [Description("the cells as JSON on stdout (id, tier, hub, image, profile, scenario, expected, checks), nothing else")]
        public bool Json { get; init; }
    }

    /// <summary>One cell as `--json` gives it.</summary>
    public sealed record CellJson(string Id, string Tier, string Hub, string Image, string Profile, string Scenario, ExpectedJson Expected, IReadOnlyList<string> Checks);

    public sealed record ExpectedJson(string Outcome, string? CauseContains, string? Reason, string? Link);

    public override int Execute(CommandContext context, Arguments settings, CancellationToken cancellationToken)
    {
        try
        {
            var cells = MatrixFile.Narrow(settings.LoadMatrix().DefaultCells(), settings.Cells);
            if (settings.Json)
            {
                return Terminal.WriteJson(cells.Select(c => new CellJson(c.Id, c.Tier, c.Hub.Name, c.Image.Name, c.Profile, c.Scenario,
                    c.Expected.ExpectFailure ? new ExpectedJson("fail", c.Expected.CauseContains, c.Expected.Reason, c.Expected.Link) : new ExpectedJson("pass", null, null, null),
                    c.Checks)));
            }
            // Each id whole at the start of its line (a table wrapped them, so they could not be copied), what is
            // expected of it on the next.
            foreach (var c in cells)
            {
                AnsiConsole.MarkupLine(Markup.Escape(c.Id));
                var expected = c.Expected.ExpectFailure ? $"fail with «{c.Expected.CauseContains}»: {c.Expected.Reason} ({c.Expected.Link})" : "pass";
                AnsiConsole.MarkupLine($"  [grey]{Markup.Escape($"{expected} · {string.Join(", ", c.Checks)}")}[/]");
            }
            return 0;
        }
        catch (ActionableException e)
        {
            return BadInput.Report(e);
        }
    }
}
