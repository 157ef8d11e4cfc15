using System.Security.Cryptography;
using System.Text.Json.Nodes;
using KernelRegression.Kubernetes.Chart;
using KernelRegression.Kubernetes.Plan;

namespace KernelRegression.Kubernetes.Tests;

/// <summary>
/// The kind cells' golden data (fixtures/deployments/golden/kind/CELL/): values.yaml, what ChartValues
/// writes for the cell with fixed placeholders for the run's secrets, and pod.json, the pod the real
/// chart config and KubeSpawner of the cell's hub make of it for the cell's spawn, and kr-init-control.json
/// for the incident's control's spawn where the values offer one (eng/golden-pods/regenerate kind).
/// </summary>
internal static class KindGolden
{
    public const string Regenerate = "eng/golden-pods/regenerate kind";
    public const string ApiToken = "<harness API token, random per run>";
    public const string DummyPassword = "<dummy password, random per run>";

    public static IReadOnlyList<MatrixCell> DefaultCells { get; } = KindTier.Selected(Cells.Matrix, null);

    public static TheoryData<string> CellIds => new(DefaultCells.Select(c => c.Id));

    public static MatrixCell Cell(string id) => DefaultCells.Single(c => c.Id == id);

    public static string Root => FixturePaths.Of("deployments", "golden", "kind");

    /// <summary>kind/hub-z2jh-4/img-sid/profile-default → golden/kind/hub-z2jh-4/img-sid/profile-default/.</summary>
    public static string Folder(MatrixCell cell) => Path.Combine([Root, .. cell.Id["kind/".Length..].Split('/')]);

    public static string Values(MatrixCell cell) =>
        ChartValues.Render(ChartSpec.From(cell), KindPlan.LaunchOf(cell), KindPlan.PlannedImageTag(cell.Image), ApiToken, DummyPassword);

    public static string Sha256(string path) => Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(path)));

    /// <summary>The cell's own spawn (no user_options: the values' default profile).</summary>
    public static JsonObject Pod(MatrixCell cell) => Record(Path.Combine(Folder(cell), "pod.json"));

    /// <summary>Where the render of the incident's control profile is (<see cref="InitControlProfile"/>), for cells that have one.</summary>
    public static string ControlPod(MatrixCell cell) => Path.Combine(Folder(cell), InitControlProfile.Slug + ".json");

    public static JsonObject Record(string path)
    {
        File.Exists(path).Should().BeTrue($"{path} should exist: run {Regenerate}");
        return (JsonObject)JsonNode.Parse(File.ReadAllText(path))!;
    }
}
