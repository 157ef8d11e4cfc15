using System.Diagnostics.CodeAnalysis;

namespace KernelRegression.Students;

/// <summary>
/// The parts of the cell's first kernel start, as its student recorded them: the POST, the channels
/// WebSocket and kernel_info; when the first process lost the port race (Jupyter/PortRace), also the wait
/// for the restarter's relaunch and the second WebSocket and kernel_info, all of which the student waited.
/// </summary>
public sealed record KernelStartParts(TimeSpan Post, StepTiming? Connect, StepTiming? Ready, TimeSpan? Relaunch, TimeSpan Total, int Samples)
{
    public static KernelStartParts? Of(IReadOnlyList<StepTiming> steps)
    {
        var start = steps.ToList().FindIndex(s => s.Step == "kernel-start");
        if (start < 0)
        {
            return null;
        }
        StepTiming? connect = null, ready = null;
        TimeSpan? relaunch = null;
        var total = steps[start].Duration;
        var samples = 1;
        var i = start + 1;
        bool Take(string step, [NotNullWhen(true)] out StepTiming? taken)
        {
            taken = i < steps.Count && steps[i].Step == step ? steps[i] : null;
            if (taken is null)
            {
                return false;
            }
            total += taken.Duration;
            samples++;
            i++;
            return true;
        }
        while (true)
        {
            // One attempt: its WebSocket, then its kernel_info if the WebSocket opened.
            if (Take("kernel-connect", out var c))
            {
                connect = c;
                ready = Take("kernel-ready", out var r) ? r : null;
            }
            if (!Take("kernel-relaunch", out var again))
            {
                break;
            }
            relaunch = again.Duration;
        }
        return new KernelStartParts(steps[start].Duration, connect, ready, relaunch, total, samples);
    }
}
