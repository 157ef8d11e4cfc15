namespace KernelRegression.Diagnosis;

/// <summary>
/// One difference between a failing cell and its closest passing cell, ranked 1 = most likely to
/// explain the failure. A null value means the cell did not have it (not collected, or no such line).
/// </summary>
public sealed record DiagnosisItem(int Rank, string Kind, string Key, string? Failing, string? Passing, string Why)
{
    public override string ToString() => $"{Rank}. [{Kind}] {Key}: {Show(Failing)} vs {Show(Passing)} ({Why})";

    /// <summary>A value as a reader should see it: an empty value (exit code of a running container) is not a missing one.</summary>
    public static string Show(string? value) => value switch
    {
        null => "(absent)",
        "" => "(empty)",
        _ => value,
    };
}

/// <summary>A failing cell's ranked differences, and the passing cell they were taken against (null: none passed).</summary>
public sealed record CellDiagnosis(string CellId, string? ComparedWith, IReadOnlyList<DiagnosisItem> Items)
{
    public IEnumerable<DiagnosisItem> Top(int n) => Items.Take(n);

    public string Text() => ComparedWith is null
        ? $"{CellId}: no passing cell in this run to compare with"
        : $"{CellId}\ncompared with {ComparedWith}\n\n{string.Join('\n', Items)}";
}
