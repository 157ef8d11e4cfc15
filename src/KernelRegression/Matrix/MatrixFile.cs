using System.Text.RegularExpressions;
using YamlDotNet.Core;
using YamlDotNet.Serialization;
using YamlDotNet.Serialization.NamingConventions;

namespace KernelRegression.Matrix;

/// <summary>
/// fixtures/matrix.yaml: the one source of truth for versions. Axes (hubs, images, profiles,
/// scenarios), the default selection, and the expected outcome of known-bad combinations.
/// Every name a selection or expectation uses must be declared; a mistake is an error that names it.
/// </summary>
public sealed class MatrixFile
{
    public sealed class Doc
    {
        public Dictionary<string, HubDoc> Hubs { get; set; } = [];
        public Dictionary<string, ImageDoc> Images { get; set; } = [];
        public List<string> Profiles { get; set; } = [];
        public List<string> Scenarios { get; set; } = ["healthy"];
        /// <summary>The checks every cell runs, in order, unless its selection names its own.</summary>
        public List<string> Checks { get; set; } = [.. StandardChecks];
        public List<SelectionDoc> Default { get; set; } = [];
        public List<ExpectationDoc> Expected { get; set; } = [];
        /// <summary>Step budgets: defaults and overrides per tier, hub, image, profile and cell (<see cref="BudgetsDoc"/>).</summary>
        public BudgetsDoc Budgets { get; set; } = new();
    }

    public sealed class HubDoc
    {
        /// <summary>docker tier: the Debian suite whose JupyterHub the hub image carries.</summary>
        public string Suite { get; set; } = "";
        /// <summary>kind tier: the Zero to JupyterHub chart version.</summary>
        public string? Chart { get; set; }
        /// <summary>kind tier: the KubeSpawner version built into the hub image (null: the chart's own).</summary>
        public string? Kubespawner { get; set; }
        /// <summary>kind tier: the kindest/node image of the cluster.</summary>
        public string? NodeImage { get; set; }
        /// <summary>docker tier: extra KR_* settings of the hub's configuration.</summary>
        public Dictionary<string, string> Env { get; set; } = [];
    }

    public sealed class ImageDoc
    {
        public string? Suite { get; set; }
        public string Stack { get; set; } = "default";
        public string Init { get; set; } = "none";
        public string KernelPatch { get; set; } = "none";
        public string? Ref { get; set; }
        /// <summary>process tier: this machine's own Python and Jupyter packages.</summary>
        public bool Host { get; set; }
        /// <summary>The front end: as-installed (default), notebook7, lab, broken.</summary>
        public string Frontend { get; set; } = "as-installed";
    }

    public sealed class SelectionDoc
    {
        public string Tier { get; set; } = "docker";
        public List<string> Hub { get; set; } = [];
        public List<string> Image { get; set; } = [];
        public List<string> Profile { get; set; } = ["default"];
        public List<string> Scenario { get; set; } = ["healthy"];
        public List<string>? Checks { get; set; }
    }

    public sealed class ExpectationDoc
    {
        public Dictionary<string, string> When { get; set; } = [];
        public string Outcome { get; set; } = "fail";
        public string? Reason { get; set; }
        public string? Link { get; set; }
        public string? CauseContains { get; set; }
    }

    /// <summary>The checks a cell runs when neither the matrix file nor the command line names any (the catalog refuses a name it lacks when a run starts).</summary>
    public static IReadOnlyList<string> StandardChecks { get; } = ["kernel-starts", "executes", "stays-alive", "interrupt", "restart", "notebook", "kernelspecs"];

    /// <summary>Every check name the file uses: its `checks:` and each selection's.</summary>
    public IEnumerable<string> CheckNames => Document.Checks.Concat(Document.Default.SelectMany(s => s.Checks ?? [])).Distinct();

    private static readonly string[] Tiers = [.. TierName.All.Select(t => t.Name)];
    private static readonly IDeserializer Yaml = new DeserializerBuilder()
        .WithNamingConvention(UnderscoredNamingConvention.Instance)
        .Build();

    private readonly IReadOnlyList<int> _expectedLines;

    private MatrixFile(string path, Doc doc, IReadOnlyList<int> expectedLines)
    {
        Path = path;
        Document = doc;
        _expectedLines = expectedLines;
    }

    public string Path { get; }
    public Doc Document { get; }

    public static string DefaultPath => Settings.MatrixFile ?? FixturePaths.Of("matrix.yaml");

    public static MatrixFile Load(string? path = null)
    {
        path ??= DefaultPath;
        if (!File.Exists(path))
        {
            throw new HarnessException($"matrix file {path} does not exist", "pass a matrix file (KR_MATRIX or --matrix) or run from a checkout with fixtures/matrix.yaml");
        }
        return Parse(File.ReadAllText(path), path);
    }

    public static MatrixFile Parse(string yaml, string path)
    {
        Doc doc;
        try
        {
            doc = Yaml.Deserialize<Doc>(yaml) ?? new Doc();
        }
        catch (YamlException e)
        {
            throw new HarnessException(
                $"matrix file {path} is malformed at line {e.Start.Line}, column {e.Start.Column}: {(e.InnerException ?? e).Message}",
                "fix the YAML there; top-level keys are hubs, images, profiles, scenarios, checks, default, expected, budgets");
        }
        var m = new MatrixFile(path, doc, ExpectedRuleLines(yaml));
        m.Validate();
        return m;
    }

    /// <summary>The line of each item of the top-level `expected:` list, so an error can name it.</summary>
    private static IReadOnlyList<int> ExpectedRuleLines(string yaml)
    {
        var stream = new YamlDotNet.RepresentationModel.YamlStream();
        stream.Load(new StringReader(yaml));
        return stream.Documents.FirstOrDefault()?.RootNode is YamlDotNet.RepresentationModel.YamlMappingNode root
            && root.Children.TryGetValue(new YamlDotNet.RepresentationModel.YamlScalarNode("expected"), out var list)
            && list is YamlDotNet.RepresentationModel.YamlSequenceNode items
            ? [.. items.Children.Select(i => (int)i.Start.Line)]
            : [];
    }

    private void Validate()
    {
        foreach (var (name, image) in Document.Images)
        {
            if (image.Ref is null && image.Suite is null && !image.Host)
            {
                Fail($"image '{name}' has neither a suite (to build) nor a ref (to use as is)", "give it suite: bookworm (for example) or ref: registry/image:tag");
            }
        }
        foreach (var s in Document.Default)
        {
            Check("tier", [s.Tier], Tiers);
            Check("hub", s.Hub, Document.Hubs.Keys);
            Check("image", s.Image, Document.Images.Keys);
            Check("profile", s.Profile, Document.Profiles);
            Check("scenario", s.Scenario, Document.Scenarios);
        }
        for (var i = 0; i < Document.Expected.Count; i++)
        {
            var e = Document.Expected[i];
            if (e.When.Count == 0)
            {
                Fail($"the expected outcome at {RuleAt(i)} has an empty `when:`: it would match every cell",
                    "name the axes it is about, e.g. when: {image: bookworm-pre-pr233, profile: kubespawner-pr34-command}");
            }
            foreach (var (axis, value) in e.When)
            {
                var known = axis switch
                {
                    "tier" => Tiers, "hub" => Document.Hubs.Keys, "image" => Document.Images.Keys,
                    "profile" => Document.Profiles, "scenario" => Document.Scenarios,
                    _ => Fail<IEnumerable<string>>($"the expected outcome at {RuleAt(i)} names an unknown axis '{axis}'", "axes are tier, hub, image, profile, scenario"),
                };
                Check(axis, [value], known);
            }
            if (e.Outcome is not ("fail" or "pass"))
            {
                Fail($"the expected outcome at {RuleAt(i)} is '{e.Outcome}', neither fail nor pass", "write outcome: fail (with reason, link and cause_contains) or outcome: pass");
            }
            if (e.Outcome == "fail" && string.IsNullOrWhiteSpace(e.CauseContains))
            {
                Fail($"the expected failure at {RuleAt(i)} ({Show(e.When)}) has no cause_contains{(e.CauseContains is null ? "" : " (only blanks, which any cause contains)")}",
                    "add cause_contains: the words its cause must contain; a known-bad cell counts as caught only when its cause carries them");
            }
        }
        RefuseAmbiguousRules();
        Document.Budgets.Validate(Tiers, Document.Hubs.Keys, Document.Images.Keys, Document.Profiles, Fail);
        // Each scenario's own expectation is read now, so a bad one is refused before anything runs.
        foreach (var scenario in Document.Scenarios.Where(s => s != "healthy"))
        {
            _ = Scenario.Load(scenario);
        }
    }

    /// <summary>
    /// Two rules that can match the same cell are refused, unless one refines the other (names every axis
    /// the other names, with the same values, and more): then the refinement wins for the cells it matches,
    /// wherever it is written. So exactly one rule decides a cell, and reordering the file changes nothing.
    /// </summary>
    private void RefuseAmbiguousRules()
    {
        var rules = Document.Expected;
        for (var i = 0; i < rules.Count; i++)
        {
            for (var j = i + 1; j < rules.Count; j++)
            {
                var (a, b) = (rules[i].When, rules[j].When);
                var overlap = a.All(w => !b.TryGetValue(w.Key, out var v) || v == w.Value);
                if (!overlap || (a.Count != b.Count && (Refines(a, b) || Refines(b, a))))
                {
                    continue;
                }
                Fail($"the expected outcomes at {RuleAt(i)} ({Show(a)}) and {RuleAt(j)} ({Show(b)}) are ambiguous: both match a cell with {Show(a.Concat(b).DistinctBy(w => w.Key))}",
                    "make one refine the other (name every axis of the other with the same value, and more: the more specific rule wins), or make them exclusive (a different value on a shared axis)");
            }
        }
    }

    /// <summary>Whether <paramref name="specific"/> names every axis of <paramref name="general"/> with the same value.</summary>
    private static bool Refines(Dictionary<string, string> specific, Dictionary<string, string> general) =>
        general.All(w => specific.TryGetValue(w.Key, out var v) && v == w.Value);

    private string RuleAt(int i) => i < _expectedLines.Count ? $"line {_expectedLines[i]}" : $"rule {i + 1}";

    private static string Show(IEnumerable<KeyValuePair<string, string>> when) => string.Join(", ", when.Select(w => $"{w.Key}: {w.Value}"));

    private void Check(string axis, IEnumerable<string> used, IEnumerable<string> declared)
    {
        var known = declared.ToHashSet();
        foreach (var u in used.Where(u => !known.Contains(u)))
        {
            Fail($"the matrix uses {axis} '{u}', which it does not declare (declared: {string.Join(", ", known.Order())})",
                $"declare '{u}' under {axis}s, or use one of the declared names");
        }
    }

    private void Fail(string what, string fix) => throw new HarnessException($"matrix file {Path}: {what}", fix);

    private T Fail<T>(string what, string fix)
    {
        Fail(what, fix);
        return default!;
    }

    public HubSpec Hub(string name) => Document.Hubs.TryGetValue(name, out var h)
        ? new HubSpec(name, h.Suite) { Chart = h.Chart, KubeSpawner = h.Kubespawner, NodeImage = h.NodeImage, Env = h.Env }
        : Fail<HubSpec>($"unknown hub '{name}' (declared: {string.Join(", ", Document.Hubs.Keys)})", "use a declared hub name");

    public ImageSpec Image(string name) => Document.Images.TryGetValue(name, out var i)
        ? new ImageSpec(name, i.Suite, i.Stack, i.Init, i.KernelPatch, i.Ref) { IsHost = i.Host, Frontend = i.Frontend }
        : Fail<ImageSpec>($"unknown image '{name}' (declared: {string.Join(", ", Document.Images.Keys)})", "use a declared image name");

    /// <summary>
    /// The default selection, expanded to cells with their expectations. A cell named by several
    /// selections runs the checks of all of them, in the order first named (a selection can add a check,
    /// e.g. the browser, to cells another selection makes).
    /// </summary>
    public IReadOnlyList<MatrixCell> DefaultCells() =>
        Document.Default.SelectMany(s =>
            from hub in s.Hub
            from image in s.Image
            from profile in s.Profile
            from scenario in s.Scenario
            select Cell(s.Tier, hub, image, profile, scenario) with { Checks = s.Checks ?? Document.Checks })
            .GroupBy(c => c.Id)
            .Select(g => g.First() with { Checks = [.. g.SelectMany(c => c.Checks).Distinct()] })
            .ToList();

    /// <summary>A cell of any declared combination, with its expectation and the matrix's checks.</summary>
    public MatrixCell Cell(string tier, string hub, string image, string profile, string scenario = "healthy")
    {
        var axes = new Dictionary<string, string> { ["tier"] = tier, ["hub"] = hub, ["image"] = image, ["profile"] = profile, ["scenario"] = scenario };
        // The matching rules refine one another (validated at load): the most specific one decides.
        var rule = Document.Expected.Where(e => e.When.All(w => axes.TryGetValue(w.Key, out var v) && v == w.Value)).MaxBy(e => e.When.Count);
        var expected = rule is not null
            ? rule.Outcome == "pass" ? Expectation.Pass : new Expectation(true, rule.Reason, rule.Link, rule.CauseContains!)
            : scenario == "healthy" ? Expectation.Pass : ScenarioExpectation(Scenario.Load(scenario));
        var cell = new MatrixCell(TierName.Of(tier, "the matrix's tier"), Hub(hub), Image(image), profile, scenario, expected) { Checks = Document.Checks };
        return cell with { Budgets = Document.Budgets.For(cell) };
    }

    private static Expectation ScenarioExpectation(Scenario s) =>
        s.Expected == "pass" ? Expectation.Pass : new Expectation(true, s.Title, s.Links.FirstOrDefault(), s.CauseContains!);

    /// <summary>The cell a readable id names (tier/hub-H/img-I/profile-P[/scenario-S]), with its expectation.</summary>
    public MatrixCell CellById(string id)
    {
        var parts = id.Split('/');
        string Part(int i, string prefix) => i < parts.Length && parts[i].StartsWith(prefix, StringComparison.Ordinal) && parts[i].Length > prefix.Length
            ? parts[i][prefix.Length..]
            : Fail<string>($"cell id '{id}' is not tier/hub-NAME/img-NAME/profile-NAME[/scenario-NAME]", "copy a cell id from `kr cells`, e.g. docker/hub-trixie/img-sid/profile-default");
        if (parts.Length is < 4 or > 5)
        {
            Part(99, "");
        }
        return Cell(parts[0], Part(1, "hub-"), Part(2, "img-"), Part(3, "profile-"), parts.Length == 5 ? Part(4, "scenario-") : "healthy");
    }

    /// <summary>
    /// Narrows cells by KR_CELLS (or the given filter): comma-separated globs on cell ids,
    /// e.g. "docker/hub-sid/*" or "*/img-bookworm/*". An empty filter keeps every cell.
    /// </summary>
    public static IReadOnlyList<MatrixCell> Narrow(IReadOnlyList<MatrixCell> cells, string? filter)
    {
        if (string.IsNullOrWhiteSpace(filter))
        {
            return cells;
        }
        var patterns = filter.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(g => new Regex("^" + Regex.Escape(g).Replace("\\*", ".*", StringComparison.Ordinal) + "$")).ToList();
        return cells.Where(c => patterns.Any(p => p.IsMatch(c.Id))).ToList();
    }
}
