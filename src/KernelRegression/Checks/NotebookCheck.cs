namespace KernelRegression.Checks;

/// <summary>A real notebook is uploaded, opened as a session, and reproduces its saved outputs cell by cell; a notebook with no code cell proves nothing.</summary>
public sealed class NotebookCheck() : Check("notebook", CheckNeeds.Server, destructive: false,
    "fixtures/notebooks/student-lab.ipynb is uploaded, opened as a session, and reproduces its saved outputs cell by cell")
{
    public override async Task<string> RunAsync(CellSession session, CancellationToken ct)
    {
        var n = await NotebookRun.RunAsync(await session.ServerAsync(ct), FixturePaths.Of("notebooks", "student-lab.ipynb"), ct);
        Expect.That(n.Cells.Count > 0, $"{n.Notebook} has no code cell: a notebook with nothing to run reproduces nothing");
        var bad = n.Mismatches.FirstOrDefault();
        Expect.That(bad is null, $"cell {bad?.Index} expected «{bad?.Expected.Trim()}», got «{bad?.Actual.Trim()}»");
        return $"{n.Cells.Count} cells matched";
    }
}
