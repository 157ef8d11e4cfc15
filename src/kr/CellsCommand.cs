using KernelRegression;
using KernelRegression.Matrix;

namespace KernelRegression.Cli;

/// <summary>kr cells: the matrix's default cells, with what each is expected to do.</summary>
public sealed class CellsCommand : Command<CellsCommand.Settings>
{
    public sealed class Settings : MatrixSettings
    {
        [CommandOption("--cells <GLOBS>")]
        [Description("comma-separated globs on cell ids (or KR_CELLS)")]
        public string? Cells { get; init; } = KernelRegression.Settings.Cells;
    }

    public override int Execute(CommandContext context, Settings settings, CancellationToken cancellationToken)
    {
        try
        {
            var matrix = MatrixFile.Load(settings.Matrix);
            var table = new Table().AddColumns("cell", "expected", "checks");
            foreach (var c in MatrixFile.Narrow(matrix.DefaultCells(), settings.Cells))
            {
                table.AddRow(new Text(c.Id),
                    new Text(c.Expected.ExpectFailure ? $"fail with «{c.Expected.CauseContains}»: {c.Expected.Reason} ({c.Expected.Link})" : "pass"),
                    new Text(string.Join(", ", c.Checks)));
            }
            AnsiConsole.Write(table);
            return 0;
        }
        catch (HarnessException e)
        {
            return BadInput.Report(e);
        }
    }
}
