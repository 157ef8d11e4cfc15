namespace KernelRegression.Suite.Process;

/// <summary>A real notebook from fixtures/notebooks, cell by cell, outputs compared with the saved ones.</summary>
public sealed class NotebookTests(ProcessFixture tier) : StudentTest(tier.Hub)
{
    [Fact]
    public async Task StudentLabNotebookReproducesItsSavedOutputs()
    {
        var student = await SpawnStudentAsync();

        var e = await NotebookRun.RunAsync(student, FixturePaths.Of("notebooks", "student-lab.ipynb"), Ct);

        e.Cells.Should().HaveCount(6);
        e.Mismatches.Should().BeEmpty();
        e.Cells[^1].Result.Error!.Name.Should().Be("IndexError");
    }
}
