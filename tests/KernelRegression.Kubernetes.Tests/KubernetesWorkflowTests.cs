using YamlDotNet.RepresentationModel;

namespace KernelRegression.Kubernetes.Tests;

/// <summary>The CI workflow of the kind tier runs exactly the matrix's kind cells, each through `kr run` (so report.md exists).</summary>
public sealed class KubernetesWorkflowTests
{
    private static YamlMappingNode Workflow()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "KernelRegression.sln")))
        {
            dir = dir.Parent;
        }
        var stream = new YamlStream();
        stream.Load(new StringReader(File.ReadAllText(Path.Combine(dir!.FullName, ".github", "workflows", "kubernetes.yml"))));
        return (YamlMappingNode)stream.Documents[0].RootNode;
    }

    private static YamlMappingNode Job(string name) => (YamlMappingNode)((YamlMappingNode)Workflow()["jobs"])[name];

    [Fact]
    public void TheWorkflowsCellsAreTheMatrixsDefaultKindCells()
    {
        var listed = ((YamlSequenceNode)((YamlMappingNode)((YamlMappingNode)Job("cell")["strategy"])["matrix"])["cell"]).Children
            .Select(c => ((YamlScalarNode)c).Value).ToList();

        listed.Should().Equal(KindTier.Selected(Cells.Matrix, null).Select(c => c.Id), "kubernetes.yml lists one job per default kind cell of fixtures/matrix.yaml");
    }

    [Fact]
    public void EachCellJobRunsKrRunKeepsTheClusterForTheEvidenceAndPostsTheReport()
    {
        var steps = ((YamlSequenceNode)Job("cell")["steps"]).Children.Cast<YamlMappingNode>()
            .Select(s => (Name: s.Children.TryGetValue("name", out var n) ? n.ToString() : "", Run: s.Children.TryGetValue("run", out var r) ? r.ToString() : "")).ToList();
        var env = (YamlMappingNode)Workflow()["env"];

        env["KR_KEEP_CLUSTER"].ToString().Should().Be("1");
        env["KR_REQUIRE_TIER"].ToString().Should().Be("kind");
        var run = steps.FindIndex(s => s.Run.Contains("run --tier kind --cells \"$KR_CELLS\"", StringComparison.Ordinal));
        var evidence = steps.FindIndex(s => s.Run.Contains("describe pods", StringComparison.Ordinal) && s.Run.Contains("kind export logs", StringComparison.Ordinal));
        var summary = steps.FindIndex(s => s.Run.Contains("report.md", StringComparison.Ordinal) && s.Run.Contains("GITHUB_STEP_SUMMARY", StringComparison.Ordinal));
        var delete = steps.FindIndex(s => s.Run.Contains("kind delete cluster", StringComparison.Ordinal));
        new[] { run, evidence, summary, delete }.Should().BeInAscendingOrder().And.NotContain(-1);
    }
}
