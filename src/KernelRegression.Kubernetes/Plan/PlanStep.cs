using KernelRegression.Matrix;
using KernelRegression.Kubernetes.Commands;

namespace KernelRegression.Kubernetes.Plan;

/// <summary>What a run waits for, with the KubernetesClient or over HTTP.</summary>
public enum AwaitTarget
{
    /// <summary>The chart's hub and proxy Deployments report Available.</summary>
    DeploymentsAvailable,
    /// <summary>GET /hub/api through the proxy answers with a version.</summary>
    HubApi,
}

/// <summary>One step of a run, as data: the plan prints it, the executor does it.</summary>
public abstract record PlanStep(string Title)
{
    /// <summary>Runs only at teardown (and is printed last).</summary>
    public bool AtTeardown { get; init; }

    public abstract string Describe(RunValues v);
}

/// <summary>Runs a program. A failed prerequisite probe is a <see cref="MissingPrerequisiteException"/>, anything else a <see cref="HarnessException"/>.</summary>
public sealed record CommandStep(string Title, Func<RunValues, CommandLine> Command, TimeSpan Deadline) : PlanStep(Title)
{
    /// <summary>Set on probes: the fix to name when the command fails.</summary>
    public string? PrerequisiteFix { get; init; }
    public bool IgnoreFailure { get; init; }

    public override string Describe(RunValues v) => $"run    {Command(v)}\n       (deadline {Deadline.TotalSeconds:0} s{(IgnoreFailure ? ", failure ignored" : "")})";
}

/// <summary>
/// Loads a local image into the kind node: `kind load docker-image`; when that fails the way Docker's
/// containerd image store makes it fail (kubernetes-sigs/kind#3795), the image's own platform is saved and
/// loaded as an archive instead; when that fails too, the error says how to turn the store off.
/// </summary>
public sealed record LoadImageStep(string Title, string ClusterName, Func<RunValues, string> Image) : PlanStep(Title)
{
    public static readonly TimeSpan Deadline = KernelRegression.Deadline.Of(300);

    public string Tarball(RunValues v) =>
        Path.Combine(v.RunDirectory, "image-" + Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(Image(v))))[..12] + ".tar");

    public override string Describe(RunValues v) =>
        $"run    {Cluster.KindCommands.Load(ClusterName, Image(v))}\n"
        + $"       (deadline {Deadline.TotalSeconds:0} s; on \"content digest … not found\", Docker's containerd image store, kubernetes-sigs/kind#3795, instead:\n"
        + $"        {Cluster.KindCommands.SaveOnePlatform(Image(v), Tarball(v))}\n"
        + $"        {Cluster.KindCommands.LoadArchive(ClusterName, Tarball(v))})";
}

/// <summary>Writes a file the later steps read.</summary>
public sealed record FileStep(string Title, Func<RunValues, string> FilePath, Func<RunValues, string> Content) : PlanStep(Title)
{
    public override string Describe(RunValues v) =>
        $"write  {FilePath(v)}\n" + string.Join('\n', Content(v).TrimEnd('\n').Split('\n').Select(l => "       | " + l));
}

/// <summary>Makes sure the single-user image exists on this machine (built from fixtures/images or pulled by ref).</summary>
public sealed record ImageStep(string Title, ImageSpec Image) : PlanStep(Title)
{
    public override string Describe(RunValues v) =>
        Image.IsBuilt
            ? $"build  {v.SingleUserImage} from fixtures/images/singleuser (suite {Image.Suite}, stack {Image.Stack}, init {Image.Init}, kernel_patch {Image.KernelPatch}) unless cached"
            : $"pull   {Image.Ref} unless present";
}

/// <summary>Deletes kr-* clusters whose run is not live (Runs/StaleRuns.IsLive).</summary>
public sealed record SweepStep(string Title) : PlanStep(Title)
{
    public override string Describe(RunValues v) =>
        "run    kind get clusters\n       then `kind delete cluster --name kr-RUNID` for each kr-* cluster whose run is not live (owner process gone)";
}

/// <summary>Waits for a condition, within a deadline whose failure names what was seen last.</summary>
public sealed record AwaitStep(string Title, AwaitTarget Target, TimeSpan Deadline) : PlanStep(Title)
{
    public override string Describe(RunValues v) => Target switch
    {
        AwaitTarget.DeploymentsAvailable => $"await  deployments hub and proxy Available in namespace {KindPlan.Namespace} (deadline {Deadline.TotalSeconds:0} s; on failure: pod phases, container statuses, events, logs)",
        _ => $"await  GET {(v.HostPort == 0 ? "http://127.0.0.1:<free port>/hub/api/" : new Uri(v.HubUrl, "hub/api/").ToString())} answers a version (deadline {Deadline.TotalSeconds:0} s)",
    };
}
