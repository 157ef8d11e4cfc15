using System.Globalization;

namespace KernelRegression;

/// <summary>One environment variable a user may set: its name, its default and what it does.</summary>
public sealed record Setting(string Name, string Default, string Meaning);

/// <summary>
/// Every KR_* variable a user sets, read here and nowhere else (as Testcontainers'
/// EnvironmentConfiguration does), each with its default and meaning. The README's table is checked
/// against <see cref="All"/> by a test. Command-line options win over these; these win over the
/// matrix file's defaults. (Variables the harness sets for the hub it starts, such as KR_HUB_PORT,
/// are a contract with fixtures/hub/jupyterhub_config.py, not settings.)
/// </summary>
public static class Settings
{
    public static IReadOnlyList<Setting> All { get; } =
    [
        new("KR_CELLS", "(the matrix's default selection)", "narrow the matrix: comma-separated globs on cell ids"),
        new("KR_MATRIX", "fixtures/matrix.yaml", "another matrix file"),
        new("KR_TIER", "process", "`kr run`'s tier when --tier is not given"),
        new("KR_HUB_URL", "", "the existing hub to check (--tier existing)"),
        new("KR_HUB_TOKEN", "", "an API token of the existing hub (admin:users, admin:servers, access:servers, tokens)"),
        new("KR_REQUIRE_TIER", "", "comma list of tiers (docker, kind, browser) whose tests must fail instead of skipping"),
        new("KR_TIMEOUT_SCALE", "1", "multiplies every deadline (slow machines)"),
        new("KR_ALIVE_WINDOW_S", "10", "how long stays-alive watches a kernel, in seconds"),
        new("KR_PARALLEL", "3", "cells run at once on the docker tier"),
        new("KR_CROWD", "10", "students in the crowd fault"),
        new("KR_REPEAT", "1", "`kr run --repeat` (the tests run once; repeat with `kr run`)"),
        new("KR_OUTPUT", "artifacts/runs", "where `kr run` writes its run folders"),
        new("KR_HISTORY", "artifacts/history", "where `kr run` keeps the step history (steps.jsonl) each run is compared with and appended to"),
        new("KR_KEEP_RUN_DIR", "0", "1: keep the run's temp dir (debugging)"),
        new("KR_KEEP_CLUSTER", "0", "1: keep the kind cluster after a run (debugging)"),
        new("KR_TMP", "/tmp", "where run directories live (every run on one machine must share it)"),
        new("KR_FIXTURES", "(the checkout's fixtures/)", "another fixtures folder"),
        new("KR_DEBIAN_MIRROR", "(this machine's apt mirror)", "the Debian mirror image builds use"),
        new("KR_JUPYTERHUB", "/usr/bin/jupyterhub", "another jupyterhub executable for the process tier"),
        new("KR_PROXY", "/usr/bin/configurable-http-proxy", "another proxy executable for the process tier"),
        new("KR_CHROMIUM", "/usr/bin/chromium", "the Chromium the browser checks drive"),
        new("KR_VALUES", "", "z2jh values files, comma-separated: their cells join the docker matrix (`kr run --values`)"),
        new("KR_VALUES_KEY", "(found)", "where the z2jh section is in the values, as a dotted path"),
        new("KR_IMAGE_MAP", "", "FROM=TO image mappings for values cells, comma-separated"),
        new("KR_VOLUME_FILES", "", "NAME=DIR files of the configMap/secret volumes the values mount, comma-separated"),
        new("KR_UPDATE_GOLDEN_VALUES", "0", "1: the kind golden-values test rewrites fixtures/deployments/golden/kind/*/values.yaml (eng/golden-pods/regenerate kind sets it)"),
    ];

    public static string? Cells => Text("KR_CELLS");
    public static string? MatrixFile => Text("KR_MATRIX");
    public static string Tier => Text("KR_TIER") ?? "process";
    public static string? HubUrl => Text("KR_HUB_URL");
    public static string HubToken => Text("KR_HUB_TOKEN") ?? "";
    public static double TimeoutScale { get; } = Number("KR_TIMEOUT_SCALE", 1.0);
    public static TimeSpan AliveWindow => TimeSpan.FromSeconds(Number("KR_ALIVE_WINDOW_S", 10));
    public static int Parallel => (int)Number("KR_PARALLEL", 3);
    public static int Crowd => (int)Number("KR_CROWD", 10);
    public static int Repeat => (int)Number("KR_REPEAT", 1);
    public static string Output => Text("KR_OUTPUT") ?? Path.Combine("artifacts", "runs");
    public static string History => Text("KR_HISTORY") ?? Path.Combine("artifacts", "history");
    public static bool KeepRunDirectory => Text("KR_KEEP_RUN_DIR") == "1";
    public static bool KeepCluster => Text("KR_KEEP_CLUSTER") == "1";
    public static string TempRoot => Text("KR_TMP") ?? "/tmp";
    public static string? Fixtures => Text("KR_FIXTURES");
    public static string? DebianMirror => Text("KR_DEBIAN_MIRROR");
    public static string JupyterHub => Text("KR_JUPYTERHUB") ?? "/usr/bin/jupyterhub";
    public static string Proxy => Text("KR_PROXY") ?? "/usr/bin/configurable-http-proxy";
    public static string Chromium => Text("KR_CHROMIUM") ?? "/usr/bin/chromium";
    public static bool UpdateGoldenValues => Text("KR_UPDATE_GOLDEN_VALUES") == "1";
    public static string? Values => Text("KR_VALUES");
    public static string? ValuesKey => Text("KR_VALUES_KEY");
    public static string? ImageMap => Text("KR_IMAGE_MAP");
    public static string? VolumeFiles => Text("KR_VOLUME_FILES");

    /// <summary>Whether KR_REQUIRE_TIER names this tier: its tests fail where they would skip.</summary>
    public static bool Requires(string tier) =>
        (Text("KR_REQUIRE_TIER") ?? "").Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries).Contains(tier);

    private static string? Text(string name) => Environment.GetEnvironmentVariable(name) is { Length: > 0 } v ? v : null;

    private static double Number(string name, double fallback) =>
        double.TryParse(Text(name), NumberStyles.Float, CultureInfo.InvariantCulture, out var v) && v > 0 ? v : fallback;
}
