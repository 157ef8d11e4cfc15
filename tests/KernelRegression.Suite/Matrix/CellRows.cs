namespace KernelRegression.Suite.Matrix;

/// <summary>
/// Matrix cells as theory rows a test platform filter can select: each row is labelled with its cell id and
/// carries the cell's axes as traits (tier, hub, image, profile, scenario), whether it is known-bad, and
/// its id (cell), e.g. <c>--filter-trait "tier=process"</c> or <c>--filter-trait "cell=docker/hub-trixie/img-sid/profile-default"</c>.
/// </summary>
public static class CellRows
{
    public static IEnumerable<TheoryDataRow<string>> Of(IEnumerable<MatrixCell> cells) => cells.Select(c => new TheoryDataRow<string>(c.Id)
    {
        Label = c.Id,
        // A fresh machine builds every image first (about 20 min) in the build phase.
        Timeout = (int)Deadline.Of(2700).TotalMilliseconds,
        Traits = new Dictionary<string, HashSet<string>>
        {
            ["tier"] = [c.Tier],
            ["hub"] = [c.Hub.Name],
            ["image"] = [c.Image.Name],
            ["profile"] = [c.Profile],
            ["scenario"] = [c.Scenario],
            ["known-bad"] = [c.Expected.ExpectFailure ? "true" : "false"],
            ["cell"] = [c.Id],
        },
    });
}
