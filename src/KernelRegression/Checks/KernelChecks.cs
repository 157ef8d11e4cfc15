using System.Diagnostics;
using KernelRegression.Jupyter;
using KernelRegression.Students;

namespace KernelRegression.Checks;

/// <summary>What the "kernel starts" check saw.</summary>
public sealed record KernelStartEvidence(string KernelId, string Protocol, string Implementation, string LanguageVersion, string ExecutionState);

/// <summary>What the "stays alive" check saw over its window.</summary>
public sealed record AliveEvidence(TimeSpan Window, IReadOnlyList<KernelLifecycleEvent> Events, IReadOnlyList<string> StatesSeen, bool StillListed, string? Answer);

/// <summary>What interrupt saw: the interrupted cell, how long the interrupt took, the cell after.</summary>
public sealed record InterruptEvidence(ExecutionResult Interrupted, TimeSpan InterruptToReply, ExecutionResult After);

/// <summary>What restart saw: a variable before, the NameError after, a cell after.</summary>
public sealed record RestartEvidence(ExecutionResult Before, ExecutionResult After, string StateAfterRestart, bool Reconnected);

/// <summary>
/// The kernel checks, as harness functions: each does what a student does and returns what it saw.
/// Step timings go on the student's <see cref="Students.StepTimings"/>; messages on the connection's timeline.
/// A death or a deadline is thrown as the deployment's failure (<see cref="DeploymentFailureException"/>), saying why.
/// </summary>
public static class KernelChecks
{
    /// <summary>The kernel starts: kernel_info_reply received and status idle within a deadline.</summary>
    public static async Task<(KernelConnection Kernel, KernelStartEvidence Evidence)> StartsAsync(Student student, CancellationToken ct, string kernelName = "python3")
    {
        var kernel = await student.StartKernelAsync(ct, kernelName);
        return (kernel, StartEvidence(kernel));
    }

    /// <summary>What the kernel said when it became ready.</summary>
    public static KernelStartEvidence StartEvidence(KernelConnection kernel) => new(
        kernel.KernelId, kernel.Protocol,
        kernel.KernelInfo?.ContentString("implementation") ?? "",
        kernel.KernelInfo?.Content["language_info"]?["version"]?.ToString() ?? "",
        kernel.ReadyState ?? "none");

    /// <summary>
    /// The kernel stays alive: for the window, no restarting/dead status arrives; at the end the server
    /// still lists it and it still answers. Returns early with the death if one happens.
    /// </summary>
    public static async Task<AliveEvidence> StaysAliveAsync(Student student, KernelConnection kernel, TimeSpan window, CancellationToken ct)
    {
        var states = new List<string>();
        var sw = Stopwatch.StartNew();
        var died = await Task.WhenAny(kernel.Died, Task.Delay(window, ct)) == kernel.Died;
        if (died)
        {
            throw await kernel.DiedException(kernel.Died.Result);
        }
        var model = await kernel.RefreshFromServerAsync(ct);
        states.Add(model?.ExecutionState ?? "gone");
        var answer = model is null ? null : (await kernel.ExecuteAsync("'alive'", Deadline.Of(10), ct)).Result;
        student.Timings.Record("alive-window", sw.Elapsed);
        return new AliveEvidence(window, kernel.LifecycleEvents, states, model is not null, answer);
    }

    /// <summary>Runs one cell and records its round trip as an "execute" step.</summary>
    /// <param name="meantToFail">A cell that raises on purpose: it must not abort the cells after it.</param>
    public static async Task<ExecutionResult> ExecutesAsync(Student student, KernelConnection kernel, string code, CancellationToken ct, TimeSpan? timeout = null, bool meantToFail = false)
    {
        var result = await kernel.ExecuteAsync(code, timeout ?? Deadline.Of(30), ct, stopOnError: !meantToFail);
        student.Timings.Record("execute", result.Duration);
        return result;
    }

    /// <summary>Interrupt: a sleeping cell is interrupted and reports KeyboardInterrupt, then the kernel runs code again.</summary>
    public static async Task<InterruptEvidence> InterruptsAsync(Student student, KernelConnection kernel, CancellationToken ct)
    {
        // Interrupt once the kernel is inside the cell, known from its execute_input broadcast, not from a sleep.
        var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        void OnMessage(KernelMessage m)
        {
            if (m.MsgType == "execute_input" && m.ContentString("code")?.Contains("time.sleep(600)", StringComparison.Ordinal) == true)
            {
                started.TrySetResult();
            }
        }
        kernel.Received += OnMessage;
        Task<ExecutionResult> sleeping;
        try
        {
            sleeping = kernel.ExecuteAsync("import time\ntime.sleep(600)", Deadline.Of(30), ct, stopOnError: false);
            await Deadline.RunAsync("the sleeping cell to start (execute_input)", Deadline.Of(10),
                t => Task.WhenAny(started.Task, sleeping).WaitAsync(t), () => kernel.ExecutionState, ct);
        }
        finally
        {
            kernel.Received -= OnMessage;
        }
        var sw = Stopwatch.StartNew();
        await student.Server.InterruptKernelAsync(kernel.KernelId, ct);
        var interrupted = await sleeping;
        var interruptTime = sw.Elapsed;
        student.Timings.Record("interrupt", interruptTime);
        var after = await ExecutesAsync(student, kernel, "6*7", ct);
        return new InterruptEvidence(interrupted, interruptTime, after);
    }

    /// <summary>
    /// Restart: after a restart the kernel answers and old state is gone. The open connection is asked
    /// first; when it stays silent (jupyter_server 2 has been seen to drop a socket's shell replies after a
    /// restart), a new connection is opened, as a browser reload would, and the evidence says so.
    /// </summary>
    public static async Task<RestartEvidence> RestartsAsync(Student student, KernelConnection kernel, CancellationToken ct)
    {
        var before = await ExecutesAsync(student, kernel, "kr_marker = 'before-restart'\nkr_marker", ct);
        var answering = kernel;
        using (kernel.ExpectRestart())
        {
            await student.Timings.TimeAsync("restart", async () =>
            {
                await student.Server.RestartKernelAsync(kernel.KernelId, ct);
                try
                {
                    await kernel.KernelInfoAsync(Deadline.Of(10), ct);
                }
                catch (DeadlineExceededException)
                {
                    answering = await student.ConnectKernelAsync(kernel.KernelId, ct);
                }
            });
        }
        var after = await ExecutesAsync(student, answering, "kr_marker", ct, meantToFail: true);
        var model = await answering.RefreshFromServerAsync(ct);
        return new RestartEvidence(before, after, model?.ExecutionState ?? "gone", Reconnected: answering != kernel);
    }
}
