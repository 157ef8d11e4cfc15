using KernelRegression.Checks;
using KernelRegression.Matrix;

namespace KernelRegression.Cli;

/// <summary>The --matrix option every command with settings takes: declared once so its default (KR_MATRIX, else
/// fixtures/matrix.yaml) and its help read the same in each. Spectre lists a base class's options first.</summary>
public class MatrixSettings : CommandSettings
{
    [CommandOption("--matrix <FILE>")]
    [Description("the matrix file (or KR_MATRIX; default fixtures/matrix.yaml)")]
    public string? Matrix { get; init; } = Settings.MatrixFile;

    /// <summary>The matrix file, refused (with the name and the checks there are) when it names a check the engine lacks.</summary>
    public MatrixFile LoadMatrix() => CheckCatalog.Verified(MatrixFile.Load(Matrix));
}
