using System.Globalization;
using KernelRegression.Matrix;

namespace KernelRegression.Latency;

/// <summary>Durations as causes and reports write them: "40 ms", "1.3 s", "61.2 s".</summary>
public static class Format
{
    public static string Duration(TimeSpan t) =>
        t.TotalMilliseconds < 1000 ? $"{t.TotalMilliseconds.ToString("0", CultureInfo.InvariantCulture)} ms"
        : $"{t.TotalSeconds.ToString(t.TotalSeconds < 100 ? "0.#" : "0", CultureInfo.InvariantCulture)} s";

    public static string Seconds(double s) => StepBudgets.Seconds(s) + " s";
}
