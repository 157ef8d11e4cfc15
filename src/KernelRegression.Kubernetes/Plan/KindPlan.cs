using System.Text;
using KernelRegression.Matrix;
using KernelRegression.Kubernetes.Chart;
using KernelRegression.Kubernetes.Cluster;
using KernelRegression.Kubernetes.Commands;
using KernelRegression.Images;

namespace KernelRegression.Kubernetes.Plan;

/// <summary>
/// Every step a kind-tier run of one matrix cell takes, in order, as data: commands with their
/// arguments, files with their content, waits with their deadlines. `kr plan` prints it (no side
/// effects); <see cref="PlanExecutor"/> runs the very same steps.
/// </summary>
public sealed class KindPlan
{
    public const string Namespace = "kr";

    private KindPlan(MatrixCell cell, ChartSpec chart, LaunchProfile profile, string clusterName, IReadOnlyList<PlanStep> steps, RunValues placeholders)
    {
        Cell = cell;
        Chart = chart;
        // Known before any cluster exists: a hub whose KubeSpawner version is unknown fails here, not after the install.
        Naming = KubeSpawnerNaming.For(chart.EffectiveKubeSpawner);
        Profile = profile;
        ClusterName = clusterName;
        Steps = steps;
        Placeholders = placeholders;
    }

    public MatrixCell Cell { get; }
    public ChartSpec Chart { get; }
    /// <summary>How the cell's KubeSpawner names and labels the student's pod.</summary>
    public KubeSpawnerNaming Naming { get; }
    /// <summary>The launch profile with the cell's scenario applied: what the chart values are rendered from.</summary>
    public LaunchProfile Profile { get; }
    public string ClusterName { get; }
    public IReadOnlyList<PlanStep> Steps { get; }
    /// <summary>The values <see cref="Render()"/> uses: placeholders for secrets, the image tag as a pattern.</summary>
    public RunValues Placeholders { get; }

    /// <summary>A cell's launch: its profile with its scenario's overrides (env, uid, limits…) applied, as on the docker tier.</summary>
    public static LaunchProfile LaunchOf(MatrixCell cell)
    {
        var profile = LaunchProfile.Resolve(cell.Profile);
        return cell.Scenario == "healthy" ? profile : Scenario.Load(cell.Scenario).Apply(profile);
    }

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
        steps.Add(new LoadImageStep("load the single-user image into the node", name, v => v.SingleUserImage));
        if (chart.NeedsHubImage)
        {
            steps.Add(new LoadImageStep("load the hub image into the node", name, _ => chart.HubImage));
        }
        steps.AddRange(ChartSteps(chart, profile));
        steps.Add(new CommandStep("delete the cluster (unless KR_KEEP_CLUSTER=1)", _ => KindCommands.Delete(name), Deadline.Of(120)) { AtTeardown = true, IgnoreFailure = true });
        return new KindPlan(cell, chart, profile, name, steps, values);
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

    /// <summary>What a run of this cell collects about the student's pod after the checks, and where it goes.</summary>
    public IReadOnlyList<string> EvidenceLines()
    {
        var naming = Naming;
        const string example = "student-1a2b3c4d";
        return
        [
            $"the student's pod: by the hub's server state (pod_name, read with the harness token), else by KubeSpawner {naming.Version}'s labels,",
            $"  e.g. user {example}: pod {naming.PodName(example, "")}, selector {naming.Selector(example, "")}",
            "pod: phase and conditions; container notebook: state, last termination (reason e.g. OOMKilled, exit code), restart count; the pod's events",
            "processes: exec `ps -e -o pid,ppid,uid,args` (a /proc reader where the image has no ps): facts proc.pid1, proc.server.pid, proc.server.ppid,",
            "  proc.server.is_pid1, proc.kernel.pid, proc.kernel.ppid; also versions.* (the image's Jupyter versions), container.oom_kills, user.home.writable",
            "facts also carry container.status, container.exit_code, container.oom_killed and pod.*; the notebook container's log is followed across restarts",
            "on a failed cell: every pod, event and log tail of namespace kr (evidence \"cluster\")",
            "while the checks run, the kernel process watch: from each kernel's start to the student's end, exec `sh -c` in container notebook runs",
            "  a watch script (Host/KernelWatchScript) that reports every process named by the kernel's connection file (kernel-ID.json), its parent,",
            "  whether that parent is PID 1 of the pod, and its exit the moment it happens (evidence kernel-processes.txt); the incident's cause needs it",
            .. ControlLines(),
        ];
    }

    /// <summary>The incident's control, as the chart values offer it (<see cref="InitControlProfile"/>).</summary>
    private IEnumerable<string> ControlLines() => InitControlProfile.Offered(Profile)
        ?
        [
            "when a kernel dies at start without a word while the server is PID 1: the incident's control, another student spawned with",
            $"  user_options {InitControlProfile.UserOptions().ToJsonString()} (the values' second profile: this pod with shareProcessNamespace: true,",
            "  the pause container PID 1), the same kernel started, watched alive and made to run code (evidence control.txt); the cause is claimed only if it lives",
        ]
        : ["no control launch: this launch has an init as PID 1 already (the values have no profile list)"];

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
            sb.Append("    judged by cause: the cell's cause must contain \"").Append(Cell.Expected.CauseContains ?? "(no cause_contains: add one to the rule)").Append('"')
              .Append(Cell.Expected.Link is null ? "" : $"; {Cell.Expected.Link}").Append('\n');
        }
        var launch = LaunchShape.Of(Profile, Cell.Image);
        sb.Append("  launch (profile ").Append(Profile.Name).Append("): ").Append(launch.Source).Append('\n');
        sb.Append("    notebook container runs ").Append(launch.Argv).Append('\n');
        sb.Append("    PID 1: ").Append(launch.Pid1).Append(launch.ServerIsPid1 switch
        {
            true => ": the server is PID 1, so a kernel's parent is PID 1 (the pre-fix ipykernel's parent poller exits when getppid() == 1)",
            false => ": the server is not PID 1",
            null => "",
        }).Append('\n');
        var n = 0;
        foreach (var s in Steps.Where(s => !s.AtTeardown))
        {
            sb.Append(++n).Append(". ").Append(s.Title).Append('\n').Append("   ").Append(s.Describe(values)).Append('\n');
        }
        sb.Append("then the checks run against the hub as a student; then the evidence is collected:\n");
        foreach (var line in EvidenceLines())
        {
            sb.Append("   ").Append(line).Append('\n');
        }
        sb.Append("at teardown:\n");
        foreach (var s in Steps.Where(s => s.AtTeardown))
        {
            sb.Append(++n).Append(". ").Append(s.Title).Append('\n').Append("   ").Append(s.Describe(values)).Append('\n');
        }
        return sb.ToString();
    }
}
