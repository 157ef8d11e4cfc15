using KernelRegression.Checks;

namespace KernelRegression.Cli;

/// <summary>The options of every command that runs cells (run, check-change, bisect): which checks, how long a
/// kernel must stay alive, where the folders go. Declared once; each command gives its own default where it has one.</summary>
public class CellRunSettings : DeploymentSettings
{
    [CommandOption("--checks <LIST>")]
    [Description("comma-separated checks, in order (`kr checks` lists them); default: the matrix's `checks:` (on an existing hub the non-destructive ones), for bisect kernel-starts,stays-alive")]
    public string? Checks { get; init; }

    [CommandOption("--alive-window <SECONDS>")]
    [Description("how long the kernel must stay alive (or KR_ALIVE_WINDOW_S; default 10, for bisect 5 at each step)")]
    public double? AliveWindow { get; init; }

    [CommandOption("--output <DIR>")]
    [Description("where the run's folder goes (or KR_OUTPUT; default artifacts/runs, for bisect artifacts/bisect beside it)")]
    public string? Output { get; init; }

    /// <summary>The checks asked for, resolved so a wrong name is refused before anything starts; null when none were.</summary>
    public IReadOnlyList<ICheck>? CheckList() =>
        Checks is null ? null : CheckCatalog.Resolve(Checks.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));

    public TimeSpan Window(TimeSpan fallback) => AliveWindow is { } s ? TimeSpan.FromSeconds(s) : fallback;

    /// <summary>The run's folder: under --output, else under the command's own default.</summary>
    public string Folder(string runId, string? fallback = null) =>
        Path.GetFullPath(Path.Combine(Output ?? fallback ?? Settings.Output, runId));

    /// <summary>A default folder of another command's outputs (bisect, bench): beside the run folders (KR_OUTPUT's parent),
    /// so they stay together wherever kr is called from (eng/kr points KR_OUTPUT at the checkout's artifacts/runs).</summary>
    public static string BesideRuns(string name) =>
        Path.Combine(Path.GetDirectoryName(Path.GetFullPath(Settings.Output))!, name);

    public override ValidationResult Validate() =>
        AliveWindow <= 0 ? ValidationResult.Error("--alive-window must be positive") : Refused(() => CheckList()) ?? ValidationResult.Success();

    /// <summary>A parse the engine refuses, as the usage error Spectre prints (what, then what to do).</summary>
    protected static ValidationResult? Refused(Action parse)
    {
        try
        {
            parse();
            return null;
        }
        catch (ActionableException e)
        {
            return ValidationResult.Error($"{e.What}: {e.Fix}");
        }
    }
}

/// <summary>The commands that read a deployment repository's history (check-change, bisect commits).</summary>
public class RepositorySettings : CellRunSettings
{
    [CommandOption("--repo <DIR>")]
    [Description("the deployment repository (its work tree is never touched: the values are read with git show); default the current folder")]
    public string Repo { get; init; } = ".";
}
