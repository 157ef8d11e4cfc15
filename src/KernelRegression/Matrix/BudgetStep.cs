namespace KernelRegression.Matrix;

/// <summary>
/// A step a student waits for, with a budget: its name in matrix.yaml's <c>budgets:</c> and on the
/// command line (<c>--budget STEP=SECONDS</c>), and what is measured. Each is derived from the step
/// timings the student records (<see cref="MeasuredSteps"/>).
/// </summary>
public sealed record BudgetStep(string Name, string Label, string Measures)
{
    public static readonly BudgetStep Spawn = new("spawn", "spawn", "spawn request to the server ready (the hub saw it answer HTTP)");
    public static readonly BudgetStep KernelStart = new("kernel-start", "kernel ready", "POST /api/kernels to kernel_info_reply and idle (POST, channels WebSocket, kernel_info)");
    public static readonly BudgetStep ChannelsOpen = new("channels-open", "channels WebSocket open", "the kernel's channels WebSocket requested to open");
    public static readonly BudgetStep FirstExecute = new("first-execute", "first execute", "the first cell's execute_request to its reply and idle");
    public static readonly BudgetStep ExecuteP95 = new("execute-p95", "execute p95", "95th percentile (nearest rank) of the cell's execute round trips");
    public static readonly BudgetStep Interrupt = new("interrupt", "interrupt", "interrupt request to the running cell's KeyboardInterrupt reply");
    public static readonly BudgetStep Restart = new("restart", "restart", "restart request to the kernel answering kernel_info again");
    public static readonly BudgetStep ServerStop = new("server-stop", "server stop", "stop request to the hub's answer (it waits up to its slow_stop_timeout, 10 s, then says 202)");

    /// <summary>In the order a student meets them (reports and causes list them in this order).</summary>
    public static IReadOnlyList<BudgetStep> All { get; } = [Spawn, KernelStart, ChannelsOpen, FirstExecute, ExecuteP95, Interrupt, Restart, ServerStop];

    public static BudgetStep? Named(string name) => All.FirstOrDefault(s => s.Name == name.Trim());

    /// <summary>The step by name, or an error that lists the known ones.</summary>
    public static BudgetStep Resolve(string name, string where) => Named(name)
        ?? throw new HarnessException($"{where}: unknown budget step '{name}'", $"use one of: {string.Join(", ", All.Select(s => s.Name))}");

    public int Order => All.ToList().IndexOf(this);

    public override string ToString() => Name;
}
