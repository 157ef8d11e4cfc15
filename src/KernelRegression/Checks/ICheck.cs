namespace KernelRegression.Checks;

/// <summary>What a check needs set up before it runs; the cell session makes it once and shares it.</summary>
[Flags]
public enum CheckNeeds
{
    Nothing = 0,
    /// <summary>The student's single-user server, spawned.</summary>
    Server = 1,
    /// <summary>A kernel of the cell's kernelspec on that server, answering.</summary>
    Kernel = 2 | Server,
}

/// <summary>
/// One thing a student does and what must hold, as a unit: adding a check is adding one file that
/// implements this, and naming it in the matrix (`checks:`) or on the command line (`--checks`).
/// A check returns what it saw when it holds, and throws <see cref="CheckFailedException"/> (or lets a
/// death, deadline or API error through) when it does not; the runner turns that into a verdict
/// with a cause taken from evidence.
/// </summary>
public interface ICheck
{
    /// <summary>The name the matrix and the command line use (kebab-case).</summary>
    string Name { get; }

    /// <summary>What it proves when it passes, in one line (kr checks, the README).</summary>
    string Description { get; }

    CheckNeeds Needs { get; }

    /// <summary>It changes something a user of a live hub would notice (restart, interrupt): not run on an existing hub unless asked.</summary>
    bool Destructive { get; }

    /// <summary>Runs the check; returns a one-line detail of what it saw.</summary>
    Task<string> RunAsync(CellSession session, CancellationToken ct);
}

/// <summary>What every check declares, said once in its class line; the check adds <see cref="RunAsync"/>.</summary>
public abstract class Check(string name, CheckNeeds needs, bool destructive, string description) : ICheck
{
    public string Name => name;
    public string Description => description;
    public CheckNeeds Needs => needs;
    public bool Destructive => destructive;

    public abstract Task<string> RunAsync(CellSession session, CancellationToken ct);
}

/// <summary>A check ran to the end and saw the wrong thing (as opposed to a death or a deadline).</summary>
public sealed class CheckFailedException(string message) : Exception(message);

/// <summary>A check cannot run here (no browser on this machine, a tier without a student login): reported as a skip with the reason, never a pass.</summary>
public sealed class CheckSkippedException(string reason) : Exception(reason);

/// <summary>Assertions inside checks: a check that sees the wrong thing says what it saw.</summary>
public static class Expect
{
    public static void That(bool condition, string otherwise)
    {
        if (!condition)
        {
            throw new CheckFailedException(otherwise);
        }
    }
}
