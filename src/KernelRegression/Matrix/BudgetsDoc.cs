using System.Text.RegularExpressions;

namespace KernelRegression.Matrix;

/// <summary>
/// matrix.yaml's <c>budgets:</c>: seconds per step (<see cref="BudgetStep"/>) as defaults, overridden per
/// tier, hub, image, launch profile and cell (globs on cell ids, as KR_CELLS), in that order; and how
/// a step is compared with its history (<see cref="BaselineDoc"/>).
/// </summary>
public sealed class BudgetsDoc
{
    public Dictionary<string, double> Defaults { get; set; } = [];
    public Dictionary<string, Dictionary<string, double>> Tiers { get; set; } = [];
    public Dictionary<string, Dictionary<string, double>> Hubs { get; set; } = [];
    public Dictionary<string, Dictionary<string, double>> Images { get; set; } = [];
    public Dictionary<string, Dictionary<string, double>> Profiles { get; set; } = [];
    /// <summary>Glob on cell ids → budgets; every matching glob applies, in file order.</summary>
    public Dictionary<string, Dictionary<string, double>> Cells { get; set; } = [];
    public BaselineDoc Baseline { get; set; } = new();

    /// <summary>The budgets of one cell: defaults, then its tier's, hub's, image's, profile's and matching cells' overrides.</summary>
    public StepBudgets For(MatrixCell cell)
    {
        var budgets = StepBudgets.None.With(Defaults, "default");
        budgets = budgets.With(Tiers.GetValueOrDefault(cell.Tier), $"tier {cell.Tier}");
        budgets = budgets.With(Hubs.GetValueOrDefault(cell.Hub.Name), $"hub {cell.Hub.Name}");
        budgets = budgets.With(Images.GetValueOrDefault(cell.Image.Name), $"image {cell.Image.Name}");
        budgets = budgets.With(Profiles.GetValueOrDefault(cell.Profile), $"profile {cell.Profile}");
        foreach (var (glob, overrides) in Cells.Where(c => Glob(c.Key).IsMatch(cell.Id)))
        {
            budgets = budgets.With(overrides, $"cells {glob}");
        }
        return budgets;
    }

    /// <summary>Every name must be a known step, tier, hub, image or profile and every budget positive; a mistake names itself.</summary>
    public void Validate(IEnumerable<string> tiers, IEnumerable<string> hubs, IEnumerable<string> images, IEnumerable<string> profiles, Action<string, string> fail)
    {
        void Steps(string where, Dictionary<string, double> budgets)
        {
            foreach (var (step, seconds) in budgets)
            {
                if (BudgetStep.Named(step) is null)
                {
                    fail($"budgets.{where} names an unknown step '{step}'", $"use one of: {string.Join(", ", BudgetStep.All.Select(s => s.Name))}");
                }
                if (!(seconds > 0))
                {
                    fail($"budgets.{where}.{step} is {seconds}", "a budget is a number of seconds above 0");
                }
            }
        }
        void Axis(string axis, Dictionary<string, Dictionary<string, double>> overrides, IEnumerable<string> declared)
        {
            var known = declared.ToHashSet();
            foreach (var (name, budgets) in overrides)
            {
                if (!known.Contains(name))
                {
                    fail($"budgets.{axis} names {axis[..^1]} '{name}', which the matrix does not declare (declared: {string.Join(", ", known.Order())})",
                        $"use a declared {axis[..^1]} name");
                }
                Steps($"{axis}.{name}", budgets);
            }
        }
        Steps("defaults", Defaults);
        Axis("tiers", Tiers, tiers);
        Axis("hubs", Hubs, hubs);
        Axis("images", Images, images);
        Axis("profiles", Profiles, profiles);
        foreach (var (glob, budgets) in Cells)
        {
            Steps($"cells.'{glob}'", budgets);
        }
        Baseline.Validate(fail);
    }

    private static Regex Glob(string glob) =>
        new("^" + Regex.Escape(glob.Trim()).Replace("\\*", ".*", StringComparison.Ordinal) + "$");
}

/// <summary>
/// When a step is "slower than usual": at least <see cref="Factor"/> times its cell's median over the
/// last <see cref="Runs"/> runs in the history, and at least <see cref="MinSlowerSeconds"/> slower (so a
/// 40 ms execute that took 130 ms is not news). A step needs <see cref="MinRuns"/> earlier runs to have a median.
/// </summary>
public sealed class BaselineDoc
{
    public double Factor { get; set; } = 3;
    public double MinSlowerSeconds { get; set; } = 2;
    public int Runs { get; set; } = 10;
    public int MinRuns { get; set; } = 3;

    public void Validate(Action<string, string> fail)
    {
        if (!(Factor > 1) || !(MinSlowerSeconds >= 0) || Runs < 1 || MinRuns < 1 || MinRuns > Runs)
        {
            fail($"budgets.baseline is factor {Factor}, min_slower_seconds {MinSlowerSeconds}, runs {Runs}, min_runs {MinRuns}",
                "factor above 1, min_slower_seconds 0 or more, 1 <= min_runs <= runs (defaults: 3, 2, 10, 3)");
        }
    }
}
