using KernelRegression;
using KernelRegression.Kubernetes.Plan;

namespace KernelRegression.Cli;

/// <summary>kr plan CELL: what a run of the cell would do, step by step, doing none of it.</summary>
public sealed class PlanCommand : Command<PlanCommand.Arguments>
{
    public sealed class Arguments : MatrixSettings
    {
        [CommandArgument(0, "<CELL>")]
        [Description("a cell id, e.g. kind/hub-z2jh-4/img-sid/profile-default (see kr cells)")]
        public string Cell { get; init; } = "";

        [CommandOption("--json")]
        [Description("the plan as JSON on stdout (cell, hub, cluster, expected, launch, steps, evidence, teardown), nothing else")]
        public bool Json { get; init; }
    }

    /// <summary>The plan as `--json` gives it: the text's parts, each step with the command or file it stands for.</summary>
    public sealed record PlanJson(string Cell, string Hub, string Cluster, string Namespace, PlanExpectedJson? Expected, PlanLaunchJson Launch,
        IReadOnlyList<PlanStepJson> Steps, IReadOnlyList<string> Evidence, IReadOnlyList<PlanStepJson> Teardown);

    public sealed record PlanExpectedJson(string Reason, string CauseContains, string? Link);

    public sealed record PlanLaunchJson(string Profile, string Source, string Argv, string Pid1, bool? ServerIsPid1);

    public sealed record PlanStepJson(string Title, string Does);

    public override int Execute(CommandContext context, Arguments settings, CancellationToken cancellationToken)
    {
        try
        {
            var cell = settings.LoadMatrix().CellById(settings.Cell);
            if (cell.Tier != "kind")
            {
                throw new HarnessException($"plan covers the Kubernetes tiers; '{cell.Id}' is a {cell.Tier} cell",
                    "use a kind/… cell id; a docker or process cell runs in seconds: kr run --tier docker --cells CELL");
            }
            var plan = KindPlan.For(cell, KindPlan.LaunchOf(cell), "PLAN");
            if (!settings.Json)
            {
                Console.Out.Write(plan.Render());
                return 0;
            }
            var launch = LaunchShape.Of(plan.Profile, cell.Image);
            PlanStepJson Step(PlanStep s) => new(s.Title, s.Describe(plan.Placeholders));
            return Terminal.WriteJson(new PlanJson(cell.Id, plan.Chart.Describe(), plan.ClusterName, KindPlan.Namespace,
                cell.Expected.ExpectFailure ? new PlanExpectedJson(cell.Expected.Reason ?? "", cell.Expected.CauseContains, cell.Expected.Link) : null,
                new PlanLaunchJson(plan.Profile.Name, launch.Source, launch.Argv, launch.Pid1, launch.ServerIsPid1),
                [.. plan.Steps.Where(s => !s.AtTeardown).Select(Step)], plan.EvidenceLines(), [.. plan.Steps.Where(s => s.AtTeardown).Select(Step)]));
        }
        catch (ActionableException e)
        {
            return BadInput.Report(e);
        }
    }
}
