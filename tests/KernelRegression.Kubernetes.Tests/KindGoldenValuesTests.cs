namespace KernelRegression.Kubernetes.Tests;

/// <summary>
/// The chart values of every default kind cell are the ones whose pods were rendered by the real chart
/// and KubeSpawner: a change of ChartValues (or of a cell's profile) fails here until the golden data is
/// regenerated. With KR_UPDATE_GOLDEN_VALUES=1 (eng/golden-pods/regenerate kind) it writes them instead.
/// </summary>
public sealed class KindGoldenValuesTests
{
    [Theory]
    [MemberData(nameof(KindGolden.CellIds), MemberType = typeof(KindGolden))]
    public void ChartValuesWritesWhatWasRendered(string cellId)
    {
        var cell = KindGolden.Cell(cellId);
        var path = Path.Combine(KindGolden.Folder(cell), "values.yaml");
        var values = KindGolden.Values(cell);

        if (Settings.UpdateGoldenValues)
        {
            Directory.CreateDirectory(KindGolden.Folder(cell));
            File.WriteAllText(path, values);
        }

        File.Exists(path).Should().BeTrue($"{path} should exist: run {KindGolden.Regenerate}");
        File.ReadAllText(path).Should().Be(values,
            $"ChartValues' output for {cell.Id} changed since its pod was rendered: run {KindGolden.Regenerate} (rewrites values.yaml and renders pod.json with the real chart and KubeSpawner), read the pods' diff, commit both");
    }

    [Fact]
    public void TheGoldenFoldersAreTheDefaultKindCells()
    {
        var folders = Directory.EnumerateFiles(KindGolden.Root, "values.yaml", SearchOption.AllDirectories)
            .Select(p => "kind/" + Path.GetRelativePath(KindGolden.Root, Path.GetDirectoryName(p)!).Replace(Path.DirectorySeparatorChar, '/'))
            .Order(StringComparer.Ordinal);

        folders.Should().Equal(KindGolden.DefaultCells.Select(c => c.Id).Order(StringComparer.Ordinal),
            $"fixtures/deployments/golden/kind/ should hold one folder per default kind cell: run {KindGolden.Regenerate} and remove the folders of cells that are gone");
    }
}
