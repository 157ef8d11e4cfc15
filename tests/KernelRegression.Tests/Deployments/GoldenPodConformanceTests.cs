namespace KernelRegression.Tests.Deployments;

/// <summary>
/// The docker launch held to the oracle: for every golden record of both pairs (chart 3.3.8 +
/// KubeSpawner 6.2.0, chart 4.2.0 + KubeSpawner 7.0.0; eng/golden-pods/README.md), the values, profile
/// and user options read here give a launch that equals the pod on every field it applies, and every
/// other field of the pod is in the cell's NotApplied (or <see cref="PodFieldsNotCarried"/>) with its
/// reason. A field that is neither fails the test with the file and the JSON path: zero silent
/// divergences. A golden refusal must be a refusal while reading, naming the key and the rule.
/// </summary>
public sealed class GoldenPodConformanceTests
{
    public static TheoryData<string> Records => [.. GoldenRecord.Files()];

    [Fact]
    public void TheOracleIsThereAndMostOfEachPodIsCompared()
    {
        var pods = GoldenRecord.Files().Select(GoldenRecord.Load).Where(g => g.Kind == "pod").ToList();
        var (compared, listed) = (0, 0);
        foreach (var (values, group) in pods.GroupBy(g => string.Join(",", g.Json["values"]!.AsArray().Select(v => v!["file"]!.ToString())) + g.Chart).Select(g => (g.First().Read(), g)))
        {
            foreach (var golden in group)
            {
                var (choices, unlisted) = golden.Options();
                var comparison = new PodComparison(golden, values.CellFor(golden.ProfileSlug, choices, unlisted));
                comparison.Run();
                (compared, listed) = (compared + comparison.Compared, listed + comparison.Listed);
            }
        }
        TestContext.Current.SendDiagnosticMessage($"{GoldenRecord.Files().Count()} records, {pods.Count} pods: {compared} fields compared with the launch, {listed} accounted as not carried");
        pods.Count.Should().BeGreaterThan(200, "eng/golden-pods/regenerate wrote the corpus' records for both pairs");
        compared.Should().BeGreaterThan(listed, "most of a pod is the launch, not a list of what it lacks");
    }

    [Theory]
    [MemberData(nameof(Records))]
    public void TheDockerLaunchIsThePodOrSaysWhyNot(string record)
    {
        var golden = GoldenRecord.Load(record);
        if (golden.Kind == "refusal")
        {
            RefusedWhileReading(golden);
            return;
        }
        golden.Kind.Should().Be("pod", record);
        var values = golden.Read();
        var (choices, unlisted) = golden.Options();
        var cell = values.CellFor(golden.ProfileSlug, choices, unlisted);

        var problems = new PodComparison(golden, cell).Run();

        if (problems.Count > 0)
        {
            Assert.Fail($"{record}: {problems.Count} field(s) of the pod neither the launch's nor a NotApplied with its reason:\n  " + string.Join("\n  ", problems));
        }
    }

    private static void RefusedWhileReading(GoldenRecord golden)
    {
        var refusal = golden.Refusal;
        var exception = refusal["exception"]!.GetValue<string>();
        var message = refusal["message"]!.GetValue<string>();
        string said;
        try
        {
            var values = golden.Read();
            var (choices, unlisted) = golden.Options();
            var refused = values.Refusals.FirstOrDefault(r => golden.ProfileSlug is { } slug && r.Key.Contains($"[{slug}]", StringComparison.Ordinal));
            said = refused?.ToString() ?? Refusal(() => values.CellFor(golden.ProfileSlug, choices, unlisted));
        }
        catch (ValuesException e)
        {
            said = e.What;
        }
        said.Should().NotBeNull($"{golden.File}: {refusal["stage"]} refused it ({exception}: {message}); reading must refuse it too");
        // The rule: the exception KubeSpawner, the chart or helm raised, with its words where they are the key.
        var rule = exception switch
        {
            "ValidationError" => "would refuse these values",
            "KeyError" or "TypeError" => $"{exception}: {message}",
            "ValueError" => message.TrimEnd('.'),
            _ => exception,
        };
        said.Should().Contain(rule, $"{golden.File}: the refusal names the rule ({exception}: {message})");
        said.Should().MatchRegex(@"(singleuser|hub)\.[A-Za-z]", $"{golden.File}: the refusal names the key");
    }

    private static string Refusal(Action read)
    {
        try
        {
            read();
            return null!;
        }
        catch (ValuesException e)
        {
            return e.What;
        }
    }
}
