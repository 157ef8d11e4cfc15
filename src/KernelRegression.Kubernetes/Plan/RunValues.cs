namespace KernelRegression.Kubernetes.Plan;

/// <summary>
/// The values a run learns or makes as it goes (the single-user image's tag once built, the host port,
/// the secrets). A plan renders its steps with placeholders; a run with the real values.
/// </summary>
public sealed class RunValues
{
    public required string RunId { get; init; }
    public required string RunDirectory { get; init; }
    public required int HostPort { get; init; }
    public required string ApiToken { get; init; }
    public required string DummyPassword { get; init; }
    /// <summary>name:tag of the single-user image, known after the image step.</summary>
    public string SingleUserImage { get; set; } = "";
    public string Kubeconfig => Path.Combine(RunDirectory, "kubeconfig");
    public Uri HubUrl => new($"http://127.0.0.1:{HostPort}/");

    /// <summary>Placeholders for a dry run: secrets are never generated, let alone printed.</summary>
    public static RunValues ForPlan(string runId, int hostPort, string? runDirectory = null) => new()
    {
        RunId = runId,
        RunDirectory = runDirectory ?? Path.Combine(KernelRegression.Host.Run.Root, runId),
        HostPort = hostPort,
        ApiToken = "<random 32-byte hex token, made at run start, redacted>",
        DummyPassword = "<random, made at run start, redacted>",
    };
}
