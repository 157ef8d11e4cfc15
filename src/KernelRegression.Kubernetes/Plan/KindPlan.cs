using System.Text;
using KernelRegression.Matrix;
using KernelRegression.Tiers.Docker;
using KernelRegression.Kubernetes.Chart;
using KernelRegression.Kubernetes.Cluster;
using KernelRegression.Kubernetes.Commands;

namespace KernelRegression.Kubernetes.Plan;

/// <summary>
/// Every step a kind-tier run of one matrix cell takes, in order, as data: commands with their
/// arguments, files with their content, waits with their deadlines. `kr plan` prints it (no side
/// effects); <see cref="PlanExecutor"/> runs the very same steps.
/// </summary>
public sealed class KindPlan
{
    public const string Namespace = "kr";

    private KindPlan(MatrixCell cell, ChartSpec chart, string clusterName, IReadOnlyList<PlanStep> steps, RunValues placeholders)
    {
        Cell = cell;
        Chart = chart;
        ClusterName = clusterName;
        Steps = steps;
        Placeholders = placeholders;
    }

    public MatrixCell Cell { get; }
    public ChartSpec Chart { get; }
    public string ClusterName { get; }
    public IReadOnlyList<PlanStep> Steps { get; }
    /// <summary>The values <see cref="Render()"/> uses: placeholders for secrets, the image tag as a pattern.</summary>
    public RunValues Placeholders { get; }

    /// <summary>The plan of a kind cell. <paramref name="hostPort"/>: the port a run would pick (a plan shows 0 as "free port").</summary>
    public static KindPlan For(MatrixCell cell, LaunchProfile profile, string runId, int hostPort = 0, string? runDirectory = null)
    {
        var chart = ChartSpec.From(cell);
        if (cell.Tier != "kind")
        {
            throw new HarnessException($"KindPlan is for kind cells; {cell.Id} is a {cell.Tier} cell", "plan a kind/... cell, or use ChartSteps for the chart part");
        }
        var name = Cluster.ClusterName.For(runId);
        var values = RunValues.ForPlan(runId, hostPort, runDirectory);
        values.SingleUserImage = PlannedImageTag(cell.Image);
        var steps = new List<PlanStep>
        {
            Probe("docker"), Probe("kind"), Probe("helm"),
            new SweepStep("sweep kind clusters of dead runs"),
            new ImageStep("single-user image", cell.Image),
        };
        if (chart.NeedsHubImage)
        {
            steps.Add(new CommandStep($"hub image with KubeSpawner {chart.KubeSpawner}", _ => HelmCommands.BuildHubImage(chart), Deadline.Of(900)));
        }
        steps.Add(new FileStep("kind cluster config", v => Path.Combine(v.RunDirectory, "kind-config.yaml"),
            v => new KindConfig(name, chart.NodeImage!, v.HostPort).Render()));
        steps.Add(new CommandStep("create the cluster", v => KindCommands.Create(name, Path.Combine(v.RunDirectory, "kind-config.yaml"), v.Kubeconfig), Deadline.Of(300)));
        steps.Add(new CommandStep("load the single-user image into the node", v => KindCommands.Load(name, v.SingleUserImage), Deadline.Of(300)));
        if (chart.NeedsHubImage)
        {
            steps.Add(new CommandStep("load the hub image into the node", _ => KindCommands.Load(name, chart.HubImage), Deadline.Of(300)));
        }
        steps.AddRange(ChartSteps(chart, profile));
        steps.Add(new CommandStep("delete the cluster (unless KR_KEEP_CLUSTER=1)", _ => KindCommands.Delete(name), Deadline.Of(120)) { AtTeardown = true, IgnoreFailure = true });
        return new KindPlan(cell, chart, name, steps, values);
    }

    /// <summary>The chart part, the same on every cluster provider: values, helm, readiness, the hub's API.</summary>
    public static IReadOnlyList<PlanStep> ChartSteps(ChartSpec chart, LaunchProfile profile) =>
    [
        new FileStep("chart values", v => Path.Combine(v.RunDirectory, "values.yaml"),
            v => ChartValues.Render(chart, profile, v.SingleUserImage, v.ApiToken, v.DummyPassword)),
        new CommandStep($"install Zero to JupyterHub {chart.Chart}", v => HelmCommands.Install(chart, Namespace, v.Kubeconfig, Path.Combine(v.RunDirectory, "values.yaml")), Deadline.Of(600)),
        new AwaitStep("hub and proxy ready", AwaitTarget.DeploymentsAvailable, Deadline.Of(300)),
        new AwaitStep("hub answers through the proxy", AwaitTarget.HubApi, Deadline.Of(60)),
    ];

    /// <summary>The tag a run will use: built images carry a content hash only known after the build.</summary>
    public static string PlannedImageTag(ImageSpec image)
    {
        if (!image.IsBuilt)
        {
            return image.Ref!;
        }
        var recipe = ImageRecipe.SingleUser(image);
        return $"{recipe.Repository}:{recipe.Variant}-<content-hash>";
    }

    private static CommandStep Probe(string program) =>
        new($"{program} is installed", _ => new CommandLine(program, program switch
        {
            "docker" => ["version", "--format", "{{.Server.Version}}"],
            "helm" => ["version", "--short"],
            _ => ["version"],
        }), Deadline.Of(15)) { PrerequisiteFix = Prerequisites.InstallHint(program) };

    /// <summary>The plan as text: numbered steps, then what happens at teardown.</summary>
    public string Render() => Render(Placeholders);

    public string Render(RunValues values)
    {
        var sb = new StringBuilder();
        sb.Append("plan for ").Append(Cell.Id).Append('\n');
        sb.Append("  hub: ").Append(Chart.Describe()).Append('\n');
        sb.Append("  cluster: ").Append(ClusterName).Append(", namespace ").Append(Namespace)
          .Append(", hub URL ").Append(values.HostPort == 0 ? "http://127.0.0.1:<free port>/" : values.HubUrl.ToString()).Append('\n');
        if (Cell.Expected.ExpectFailure)
        {
            sb.Append("  expected: fail (").Append(Cell.Expected.Reason).Append(")\n");
        }
        var n = 0;
        foreach (var s in Steps.Where(s => !s.AtTeardown))
        {
            sb.Append(++n).Append(". ").Append(s.Title).Append('\n').Append("   ").Append(s.Describe(values)).Append('\n');
        }
        sb.Append("then the checks run against the hub; at teardown:\n");
        foreach (var s in Steps.Where(s => s.AtTeardown))
        {
            sb.Append(++n).Append(". ").Append(s.Title).Append('\n').Append("   ").Append(s.Describe(values)).Append('\n');
        }
        return sb.ToString();
    }
}
