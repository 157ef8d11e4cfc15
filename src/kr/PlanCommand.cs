using KernelRegression;
using KernelRegression.Matrix;
using KernelRegression.Kubernetes.Plan;

namespace KernelRegression.Cli;

/// <summary>kr plan CELL: what a run of the cell would do, step by step, doing none of it.</summary>
public sealed class PlanCommand : Command<PlanCommand.Settings>
{
    public sealed class Settings : MatrixSettings
    {
        [CommandArgument(0, "<CELL>")]
        [Description("a cell id, e.g. kind/hub-z2jh-4/img-sid/profile-default (see kr cells)")]
        public string Cell { get; init; } = "";
    }

    public override int Execute(CommandContext context, Settings settings, CancellationToken cancellationToken)
    {
        try
        {
            var cell = MatrixFile.Load(settings.Matrix).CellById(settings.Cell);
            if (cell.Tier != "kind")
            {
                throw new HarnessException($"plan covers the Kubernetes tiers; '{cell.Id}' is a {cell.Tier} cell",
                    "use a kind/… cell id; a docker or process cell runs in seconds: kr run --tier docker --cells CELL");
            }
            var plan = KindPlan.For(cell, KindPlan.LaunchOf(cell), "PLAN");
            Console.Out.Write(plan.Render());
            return 0;
        }
        catch (HarnessException e)
        {
            return BadInput.Report(e);
        }
    }
}
