namespace KernelRegression.Jupyter;

public enum KernelLifecycle
{
    /// <summary>The server saw the kernel die and is restarting it (iopub status "restarting").</summary>
    Restarting,
    /// <summary>The server gave up on the kernel (iopub status "dead", or the kernel is gone from the API).</summary>
    Dead,
    /// <summary>The channels WebSocket closed under us.</summary>
    Disconnected,
}

/// <summary>A typed "kernel died / restarted" event, with when it was seen and what said so.</summary>
public sealed record KernelLifecycleEvent(KernelLifecycle Kind, TimeSpan At, string Source);
