namespace KernelRegression;

/// <summary>
/// Base of every error raised on purpose: it says what went wrong and what to do, so an operator can act
/// without reading the code. Either the harness's (<see cref="HarnessException"/>: input it refuses, or itself
/// broken) or the deployment's (<see cref="DeploymentFailureException"/>: a verdict).
/// </summary>
public abstract class ActionableException(string what, string fix, Exception? inner = null)
    : Exception($"{what}\n  what to do: {fix}", inner)
{
    public string What { get; } = what;
    public string Fix { get; } = fix;
}

/// <summary>The harness says no: input it refuses (a malformed matrix, an unknown name, a hub URL that does not answer), or, as <see cref="HarnessFaultException"/>, itself broken.</summary>
public class HarnessException(string what, string fix, Exception? inner = null) : ActionableException(what, fix, inner);

/// <summary>
/// The deployment under test failed while a student used it: a spawn the hub gave up on, a kernel that died, an API
/// error, a wait past its deadline, a missing kernelspec. A verdict the judge decides with, never a harness error.
/// </summary>
public abstract class DeploymentFailureException(string what, string fix, Exception? inner = null) : ActionableException(what, fix, inner);

/// <summary>
/// The harness itself failed, not the deployment under test: an image that cannot be built, a hub the
/// harness could not start, a Docker command that failed, a fault the tier cannot inject. A cell that
/// meets one is judged "harness error", never failed or expected to fail.
/// </summary>
public class HarnessFaultException(string what, string fix, Exception? inner = null) : HarnessException(what, fix, inner);

/// <summary>A program or service the run needs is not on this machine.</summary>
public sealed class MissingPrerequisiteException(string what, string fix) : HarnessFaultException(what, fix);

/// <summary>The hub URL does not answer (refused, DNS, timeout).</summary>
public sealed class HubUnreachableException(string what, string fix, Exception? inner = null) : HarnessException(what, fix, inner);

/// <summary>The hub or a single-user server refused the token, or the token lacks a scope.</summary>
public sealed class HubAuthException(string what, string fix, int statusCode) : HarnessException(what, fix)
{
    public int StatusCode { get; } = statusCode;
}

/// <summary>A REST call answered with an unexpected status.</summary>
public sealed class JupyterApiException(string what, string fix, int statusCode, string body) : DeploymentFailureException(what, fix)
{
    public int StatusCode { get; } = statusCode;
    public string Body { get; } = body;
}

/// <summary>The server has no kernelspec of that name.</summary>
public sealed class UnknownKernelException(string kernelName, IReadOnlyCollection<string> available)
    : DeploymentFailureException(
        $"no kernelspec named '{kernelName}' on the single-user server (it has: {string.Join(", ", available)})",
        "use one of the listed names, or install the kernelspec into the image (jupyter kernelspec list)")
{
    public string KernelName { get; } = kernelName;
    public IReadOnlyCollection<string> Available { get; } = available;
}

/// <summary>The hub gave up on a spawn, or the server never became ready.</summary>
public sealed class SpawnFailedException(string user, string message, string logTail, string? cause = null)
    : DeploymentFailureException(
        $"spawn of {user}'s server failed: {message}" + (cause is null ? "" : $"; cause: {cause}") + $"\n--- hub log (tail) ---\n{logTail}",
        "read the hub log above: the spawner's own error is usually in the last lines")
{
    public string User { get; } = user;
    public string HubMessage { get; } = message;
    /// <summary>The line of the server's (or spawner's) output that says why, when one does.</summary>
    public string? Cause { get; } = cause;
}

/// <summary>A wait ran past its deadline. Says what was awaited, for how long, and the last thing seen.</summary>
public sealed class DeadlineExceededException(string awaited, TimeSpan after, string lastSeen, string? logTail = null)
    : DeploymentFailureException(
        $"timed out after {after.TotalSeconds:0.0} s waiting for {awaited}; last seen: {lastSeen}"
            + (string.IsNullOrWhiteSpace(logTail) ? "" : $"\n--- log (tail) ---\n{logTail}"),
        "if the last thing seen is progress, raise the deadline (KR_TIMEOUT_SCALE); otherwise the log says what is stuck")
{
    public string Awaited { get; } = awaited;
    public TimeSpan After { get; } = after;
    public string LastSeen { get; } = lastSeen;
}

/// <summary>The kernel died (or the server is restarting it) while the harness waited on it.</summary>
/// <param name="atStart">It died before it ever answered kernel_info: during its start.</param>
public sealed class KernelDiedException(string kernelId, string lastStatus, TimeSpan after, string cause, string logTail, bool atStart = false)
    : DeploymentFailureException(
        $"kernel {kernelId} died ({lastStatus}) {after.TotalSeconds:0.0} s after start; cause: {cause}\n--- kernel/server log (tail) ---\n{logTail}",
        "the cause line above comes from the kernel's own output; fix the image or kernelspec it names")
{
    public string KernelId { get; } = kernelId;
    public string LastStatus { get; } = lastStatus;
    public TimeSpan After { get; } = after;
    public string Cause { get; } = cause;
    public bool AtStart { get; } = atStart;
}
