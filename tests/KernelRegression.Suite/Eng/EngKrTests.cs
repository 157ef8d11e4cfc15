using System.Diagnostics;

namespace KernelRegression.Suite.Eng;

/// <summary>
/// eng/kr as an operator calls it, from a folder of their own: `eng/kr cells` installs nothing (eng/bootstrap.sh is
/// not run for it), and a relative path means the caller's folder (eng/kr used to change into the checkout, so
/// `--matrix matrix.yaml` or `--repo .` looked there). It builds kr in Release the first time (a minute or two).
/// </summary>
public sealed class EngKrTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("kr-eng-kr-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public async Task CellsFromAnotherFolderInstallsNothingAndReadsTheCallersRelativePath()
    {
        // Given the caller's own matrix file (a copy of the project's) in the caller's folder
        File.Copy(FixturePaths.Of("matrix.yaml"), Path.Combine(_dir, "my-matrix.yaml"));

        // When
        var start = new ProcessStartInfo(Path.Combine(FixturePaths.Root, "..", "eng", "kr"), ["cells", "--matrix", "my-matrix.yaml", "--cells", "process/*"]) { WorkingDirectory = _dir };
        start.Environment["NO_COLOR"] = "1";
        var (exit, stdout, stderr) = await ChildProcess.RunAsync(start, Deadline.Of(600), TestContext.Current.CancellationToken);

        // Then
        exit.Should().Be(0, stderr);
        stderr.Should().NotContain("[bootstrap]", "listing cells needs nothing installed");
        stdout.Split('\n').Should().Contain("process/hub-host/img-host/profile-host");
    }
}
