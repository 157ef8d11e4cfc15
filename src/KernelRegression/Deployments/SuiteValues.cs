using KernelRegression.Matrix;

namespace KernelRegression.Deployments;

/// <summary>
/// The operator's values as the suite's input under <c>dotnet test</c>: KR_VALUES (with KR_VALUES_KEY,
/// KR_IMAGE_MAP, KR_VOLUME_FILES) read the way <c>kr run --values</c> reads its options, so the same
/// values give the same cells in both.
/// </summary>
public static class SuiteValues
{
    public static bool Given => !string.IsNullOrWhiteSpace(Settings.Values);

    /// <summary>The values cells on the docker tier (trixie hub), none when KR_VALUES is unset.</summary>
    public static IReadOnlyList<MatrixCell> Cells(MatrixFile matrix)
    {
        if (!Given)
        {
            return [];
        }
        var options = new ValuesOptions
        {
            ValuesKey = Settings.ValuesKey,
            Images = ImageMap.Parse(List(Settings.ImageMap), null, matrix.Document.Images.Keys.ToHashSet()),
            VolumeFiles = ValuesOptions.ParseVolumeFiles(List(Settings.VolumeFiles)),
        };
        return ValuesMatrix.Cells(DeploymentValues.Load(List(Settings.Values), options), matrix, ["trixie"]);
    }

    private static string[] List(string? text) =>
        text?.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries) ?? [];
}
