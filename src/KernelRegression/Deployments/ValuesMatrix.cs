using KernelRegression.Matrix;

namespace KernelRegression.Deployments;

/// <summary>
/// An operator's values as matrix cells: one per values cell and hub, on the docker tier, expected to
/// pass, each carrying its own launch (not a profile file) and what the tier cannot apply. Images the
/// values name are mapped (--image-map) to the suite's images or used as refs that must be on the machine.
/// </summary>
public static class ValuesMatrix
{
    public static IReadOnlyList<MatrixCell> Cells(DeploymentValues values, MatrixFile matrix, IReadOnlyList<string> hubs) =>
        [.. from hub in hubs
            from cell in values.Cells
            select new MatrixCell(TierName.Docker, matrix.Hub(hub), Image(cell.Image, matrix), cell.Key, "healthy", Expectation.Pass)
            {
                Name = $"{TierName.Docker}/hub-{hub}/{cell.Id}",
                Launch = cell.Launch with { Name = cell.Id },
                OtherImages = [.. cell.InitImages.Select(i => Image(i, matrix)).DistinctBy(i => i.Name)],
                NotApplied = cell.NotApplied,
                Checks = matrix.Document.Checks,
            }];

    private static ImageSpec Image(ImageChoice choice, MatrixFile matrix) =>
        choice.IsSuiteImage
            ? matrix.Image(choice.Target)
            : new ImageSpec(Safe(choice.Target), null, "default", "none", "none", choice.Target);

    private static string Safe(string reference) => new([.. reference.Select(c => char.IsLetterOrDigit(c) || c is '-' or '.' ? c : '-')]);
}
