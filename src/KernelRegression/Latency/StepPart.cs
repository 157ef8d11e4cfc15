namespace KernelRegression.Latency;

/// <summary>
/// One part of a budgeted step, measured: what it is in a sentence, how long it took, and its share of the
/// step's budget (a fraction). A step over budget names the part that went over its share (<see cref="SlowPart"/>).
/// </summary>
public sealed record StepPart(string Text, TimeSpan Took, double Share);
