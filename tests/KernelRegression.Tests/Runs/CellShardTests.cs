namespace KernelRegression.Tests.Runs;

/// <summary>`kr run --shard I/N` splits a run's cells for a CI matrix: every cell in exactly one shard, the same split whatever the cells' order, sizes within one.</summary>
public sealed class CellShardTests
{
    private static readonly IReadOnlyList<MatrixCell> Cells = MatrixFile.Load().DefaultCells().Where(c => c.Tier == "docker").ToList();

    [Theory]
    [InlineData(1)]
    [InlineData(3)]
    [InlineData(7)]
    public void TheShardsAreEveryCellOnceAndDifferInSizeByAtMostOne(int count)
    {
        var shards = Enumerable.Range(1, count).Select(i => new CellShard(i, count).Of(Cells)).ToList();

        shards.SelectMany(s => s).Select(c => c.Id).Should().BeEquivalentTo(Cells.Select(c => c.Id)).And.OnlyHaveUniqueItems();
        (shards.Max(s => s.Count) - shards.Min(s => s.Count)).Should().BeLessThanOrEqualTo(1);
    }

    [Fact]
    public void AShardDependsOnTheCellsNotOnTheirOrder()
    {
        var shuffled = Cells.OrderBy(c => c.Id.GetHashCode(StringComparison.Ordinal) ^ 0x5f3759df).ToList();

        new CellShard(2, 3).Of(shuffled).Select(c => c.Id).Should().BeEquivalentTo(new CellShard(2, 3).Of(Cells).Select(c => c.Id));
    }

    [Fact]
    public void TheSplitIsTheSortedIdsDealtOutInTurn()
    {
        var sorted = Cells.Select(c => c.Id).Order(StringComparer.Ordinal).ToList();

        new CellShard(1, 3).Of(Cells).Select(c => c.Id).Should().Contain([sorted[0], sorted[3], sorted[6]]).And.NotContain([sorted[1], sorted[2]]);
    }

    [Theory]
    [InlineData("0/3")]
    [InlineData("4/3")]
    [InlineData("1/0")]
    [InlineData("2")]
    [InlineData("a/b")]
    [InlineData("-1/3")]
    public void AnythingButIOfNIsRefusedNamingTheForm(string text)
    {
        var parse = () => CellShard.Parse(text);

        parse.Should().Throw<HarnessException>().Which.Fix.Should().Contain("--shard 2/3");
    }

    [Fact]
    public void IOfNParses() => CellShard.Parse("2/3").Should().Be(new CellShard(2, 3));
}
