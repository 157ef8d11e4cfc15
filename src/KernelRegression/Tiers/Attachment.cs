namespace KernelRegression.Tiers;

/// <summary>A file a check produced for the report (a browser screenshot), or a named text.</summary>
public sealed record Attachment(string Name, string? Text = null, string? FilePath = null);
