using KernelRegression.Bisect;

namespace KernelRegression.Tests.Bisect;

/// <summary>The bisection search over a predicate: every position, the smallest list, inconsistent ends.</summary>
public sealed class BisectionTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static Func<int, ProbeKind, CancellationToken, Task<bool>> BadFrom(int firstBad) => (i, _, _) => Task.FromResult(i >= firstBad);

    public static TheoryData<int> Sizes() => [2, 3, 4, 5, 6, 7, 8, 9, 16, 17, 100];

    [Theory]
    [MemberData(nameof(Sizes))]
    public async Task FindsTheFirstBadAtEveryPositionWithinCeilLog2Steps(int n)
    {
        for (var firstBad = 1; firstBad < n; firstBad++)
        {
            // Given values 0..n-1 good below firstBad, bad from it

            // When
            var trace = await Bisection.FirstBadAsync(n, 0, n - 1, BadFrom(firstBad), Ct);

            // Then
            trace.FirstBad.Should().Be(firstBad);
            trace.LastGood.Should().Be(firstBad - 1);
            trace.SearchSteps.Should().BeLessThanOrEqualTo((int)Math.Ceiling(Math.Log2(n - 1)), $"n={n}, first bad at {firstBad}");
            trace.SearchSteps.Should().BeLessThanOrEqualTo((int)Math.Ceiling(Math.Log2(n)));
            trace.Probes.Take(2).Select(p => p.Kind).Should().Equal(ProbeKind.GoodEnd, ProbeKind.BadEnd);
            trace.Probes.Should().OnlyHaveUniqueItems(p => p.Index);
        }
    }

    [Fact]
    public async Task SixOrderedProfilesTakeAtMostThreeSearchSteps()
    {
        for (var firstBad = 1; firstBad < 6; firstBad++)
        {
            var trace = await Bisection.FirstBadAsync(6, 0, 5, BadFrom(firstBad), Ct);

            trace.SearchSteps.Should().BeLessThanOrEqualTo(3);
            Bisection.MaxSearchSteps(0, 5).Should().Be(3);
        }
    }

    [Fact]
    public async Task TwoValuesNeedOnlyTheEnds()
    {
        var trace = await Bisection.FirstBadAsync(2, 0, 1, BadFrom(1), Ct);

        trace.FirstBad.Should().Be(1);
        trace.SearchSteps.Should().Be(0);
        trace.Probes.Should().HaveCount(2);
    }

    [Fact]
    public async Task EndsInsideTheListNarrowTheSearch()
    {
        var trace = await Bisection.FirstBadAsync(10, 3, 6, BadFrom(5), Ct);

        trace.FirstBad.Should().Be(5);
        trace.Probes.Should().OnlyContain(p => p.Index >= 3 && p.Index <= 6);
    }

    [Fact]
    public async Task AGoodEndThatFailsIsRejectedAsSwapped()
    {
        var act = () => Bisection.FirstBadAsync(6, 0, 5, (_, _, _) => Task.FromResult(true), Ct);

        var e = (await act.Should().ThrowAsync<InconsistentEndsException>()).Which;
        e.What.Should().Contain("good end").And.Contain("good and bad swapped?");
    }

    [Fact]
    public async Task ABadEndThatPassesIsRejectedAsSwapped()
    {
        var act = () => Bisection.FirstBadAsync(6, 0, 5, (_, _, _) => Task.FromResult(false), Ct);

        var e = (await act.Should().ThrowAsync<InconsistentEndsException>()).Which;
        e.What.Should().Contain("bad end").And.Contain("good and bad swapped?");
    }

    [Theory]
    [InlineData(1, 0, 0)]
    [InlineData(5, 3, 1)]
    [InlineData(5, 2, 2)]
    [InlineData(5, 0, 5)]
    public async Task ImpossibleEndsAreRefusedBeforeAnyProbe(int n, int good, int bad)
    {
        var probes = 0;

        var act = () => Bisection.FirstBadAsync(n, good, bad, (_, _, _) => Task.FromResult(++probes > 0), Ct);

        await act.Should().ThrowAsync<HarnessException>();
        probes.Should().Be(0);
    }
}
