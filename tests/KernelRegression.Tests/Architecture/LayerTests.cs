using Mono.Cecil;

namespace KernelRegression.Tests.Architecture;

/// <summary>
/// The engine's layers point one way. Read from the compiled assemblies of src/ (the engine, the
/// Kubernetes tier, the kr command line), held to docs/architecture.md's layer table: every namespace
/// in exactly one layer, no namespace using one of a higher layer, no circle of namespaces (within a layer
/// either), and the rules the document states about where reports are written and settings are read.
/// </summary>
public sealed class LayerTests
{
    private static readonly Lazy<NamespaceGraph> Graph = new(() => NamespaceGraph.Read(Assemblies));

    /// <summary>The compiled assemblies of every project under src/, built with these tests (the same configuration).</summary>
    private static IEnumerable<string> Assemblies =>
        new[] { ("KernelRegression", "KernelRegression"), ("KernelRegression.Kubernetes", "KernelRegression.Kubernetes"), ("kr", "kr") }.Select(p =>
        {
            var configuration = AppContext.BaseDirectory.Contains("/Release/", StringComparison.Ordinal) ? "Release" : "Debug";
            var dll = Path.Combine(Repository.Root, "src", p.Item1, "bin", configuration, "net10.0", p.Item2 + ".dll");
            return File.Exists(dll) ? dll : throw new InvalidOperationException($"{dll} is not built: run `dotnet build KernelRegression.sln` first");
        });

    private static IReadOnlyList<Layer> Layers => LayerMap.FromArchitectureDoc();

    [Fact]
    public void EveryNamespaceIsInExactlyOneLayer()
    {
        // Given the layers the document states and the namespaces the assemblies declare
        var listed = Layers.SelectMany(l => l.Namespaces.Select(n => (Layer: l.Name, Namespace: n))).ToList();

        // Then each namespace is listed once, and the table names none that does not exist
        listed.GroupBy(l => l.Namespace).Where(g => g.Count() > 1).Select(g => $"{g.Key} in {string.Join(" and ", g.Select(l => l.Layer))}")
            .Should().BeEmpty("a namespace belongs to one layer");
        Graph.Value.Namespaces.Except(listed.Select(l => l.Namespace)).Order(StringComparer.Ordinal)
            .Should().BeEmpty("docs/architecture.md's layer table must place every namespace of src/");
        listed.Select(l => l.Namespace).Except(Graph.Value.Namespaces).Order(StringComparer.Ordinal)
            .Should().BeEmpty("docs/architecture.md's layer table names only namespaces that exist");
    }

    [Fact]
    public void NoNamespaceUsesOneOfAHigherLayer()
    {
        // Given each namespace's layer
        var layer = Layers.SelectMany(l => l.Namespaces.Select(n => (n, l))).ToDictionary(x => x.n, x => x.l);

        // When every use between namespaces is read from the IL
        var upward = Graph.Value.Edges
            .Where(e => layer.TryGetValue(e.From, out var from) && layer.TryGetValue(e.To, out var to) && to.Number > from.Number)
            .Select(e => $"{e} — layer {layer[e.From].Number} ({layer[e.From].Name}) uses layer {layer[e.To].Number} ({layer[e.To].Name})")
            .ToList();

        // Then none points up
        string.Join('\n', upward).Should().BeEmpty("dependencies point down the layers of docs/architecture.md");
    }

    [Fact]
    public void NoNamespacesUseEachOtherInACircle()
    {
        // When the uses between namespaces are read, and grouped into the sets that reach each other
        var edges = Graph.Value.Edges;
        var circles = Cycles.Of(edges.Select(e => (e.From, e.To)));

        // Then there is none: each circle is named with the uses that close it
        string.Join("\n\n", circles.Select(c => $"{string.Join(", ", c)}:\n  " +
            string.Join("\n  ", edges.Where(e => c.Contains(e.From) && c.Contains(e.To))))).Should().BeEmpty("namespaces use each other one way only, within a layer too");
    }

    [Fact]
    public void ReportsAreWrittenOnlyByTheReportsLayer()
    {
        // Given every call that writes a file, outside Reports and the writers of what is not a report
        var writes = Graph.Value.Calls
            .Where(c => WritesAFile(c.Called) && NamespaceGraph.Namespace(c.Type) != "KernelRegression.Reports" && !NotReports.ContainsKey(c.Type.FullName))
            .Select(c => $"{c.Type.FullName} calls {c.Called.DeclaringType.Name}.{c.Called.Name}")
            .Distinct().ToList();
        // And every Markdown table made outside Reports
        var markdown = Graph.Value.Strings
            .Where(s => s.Text.Contains("|---", StringComparison.Ordinal) && NamespaceGraph.Namespace(s.Type) != "KernelRegression.Reports")
            .Select(s => $"{s.Type.FullName} makes a Markdown table").Distinct().ToList();

        // Then there is none: text is made from typed evidence and results only where reports are written
        string.Join('\n', writes.Concat(markdown)).Should().BeEmpty("reports (Markdown, HTML, JSON) are written in KernelRegression.Reports only");
        NotReports.Keys.Should().OnlyContain(t => Graph.Value.Calls.Any(c => c.Type.FullName == t && WritesAFile(c.Called)),
            "each writer allowed outside Reports still writes (remove it from the list when it no longer does)");
    }

    [Fact]
    public void OnlySettingsReadsTheEnvironmentOrNamesASetting()
    {
        var names = Settings.All.Select(s => s.Name).ToHashSet();
        var readers = Graph.Value.Calls
            .Where(c => c.Called.DeclaringType.FullName == "System.Environment" && c.Called.Name.StartsWith("GetEnvironmentVariable", StringComparison.Ordinal)
                && c.Type.FullName != typeof(Settings).FullName)
            .Select(c => $"{c.Type.FullName} calls Environment.{c.Called.Name}");
        var named = Graph.Value.Strings.Where(s => names.Contains(s.Text) && s.Type.FullName != typeof(Settings).FullName)
            .Select(s => $"{s.Type.FullName} names {s.Text}");

        string.Join('\n', readers.Concat(named).Distinct()).Should().BeEmpty("every KR_* setting is read in Settings (src/KernelRegression/Settings.cs) and nowhere else");
    }

    [Fact]
    public void TheRulesSeeTheAssembliesTheyAreAbout()
    {
        // A reader that saw nothing would pass every rule above.
        Graph.Value.Namespaces.Should().Contain(["KernelRegression", "KernelRegression.Judging", "KernelRegression.Kubernetes", "KernelRegression.Cli"]);
        Graph.Value.Edges.Should().Contain(e => e.From == "KernelRegression.Cli" && e.To == "KernelRegression.Judging");
        Graph.Value.Calls.Should().Contain(c => WritesAFile(c.Called));
        Layers.Should().HaveCountGreaterThan(5);
    }

    [Fact]
    public void ACircleIsFound()
    {
        Cycles.Of([("A", "B"), ("B", "C"), ("C", "A"), ("C", "D"), ("D", "E"), ("E", "D")])
            .Select(c => string.Join(",", c)).Should().BeEquivalentTo(["A,B,C", "D,E"]);
        Cycles.Of([("A", "B"), ("B", "C"), ("A", "C")]).Should().BeEmpty();
    }

    /// <summary>Types outside Reports that write a file that is not a report, and what it is.</summary>
    private static readonly Dictionary<string, string> NotReports = new()
    {
        ["KernelRegression.Logs.LogTail"] = "a log, copied to its file as its lines arrive",
        ["KernelRegression.Host.Run"] = "the run folder's owner stamp the next run's sweep reads",
        ["KernelRegression.Images.BaseImage"] = "a base image's build folder: its owner stamp and the wgetrc debootstrap reads",
        ["KernelRegression.Tiers.Process.ProcessHub"] = "the hub's own configuration files",
        ["KernelRegression.Tiers.Process.ProcessFacts"] = "the file that proves the home takes a write (removed at once)",
        ["KernelRegression.Kubernetes.Plan.PlanExecutor"] = "the chart values files helm reads",
        ["KernelRegression.Latency.StepHistory"] = "the step history (JSON lines) that later runs are compared with",
        ["KernelRegression.Cli.RunLog"] = "kr.log, the run's progress and errors as they happen",
    };

    private static bool WritesAFile(MethodReference m) =>
        (m.DeclaringType.FullName == "System.IO.File" && m.Name is "WriteAllText" or "WriteAllTextAsync" or "AppendAllText" or "AppendAllTextAsync"
            or "WriteAllLines" or "WriteAllLinesAsync" or "AppendAllLines" or "AppendAllLinesAsync" or "WriteAllBytes" or "WriteAllBytesAsync" or "CreateText" or "AppendText")
        || (m.DeclaringType.FullName == "System.IO.StreamWriter" && m.Name == ".ctor" && m.Parameters.FirstOrDefault()?.ParameterType.FullName == "System.String");
}
