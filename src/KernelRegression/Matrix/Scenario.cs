using YamlDotNet.Core;
using YamlDotNet.Serialization;
using YamlDotNet.Serialization.NamingConventions;

namespace KernelRegression.Matrix;

/// <summary>
/// A real way kernels fail in JupyterHub deployments, as data (fixtures/scenarios/NAME.yaml): what
/// triggers it, what a user sees, which versions it affects, the upstream links, and how the suite
/// makes it happen (launch overrides, files left in the home, a cell, a kernelspec).
/// </summary>
public sealed record Scenario
{
    public string Name { get; init; } = "";
    public string Title { get; init; } = "";
    public string Trigger { get; init; } = "";
    public string Symptom { get; init; } = "";
    public string Affected { get; init; } = "";
    public string Fixed { get; init; } = "";
    public List<string> Links { get; init; } = [];
    public List<string> Tiers { get; init; } = [];
    /// <summary>What the cell should do under this scenario: fail (the suite must catch it, with <see cref="CauseContains"/>) or pass; nothing else.</summary>
    public string Expected { get; init; } = "fail";
    /// <summary>The one-line cause must contain this (taken from evidence, never a timeout).</summary>
    public string? CauseContains { get; init; }
    public ScenarioSetup Setup { get; init; } = new();

    public sealed record ScenarioSetup
    {
        /// <summary>Launch profile fields to override (env, uid, gid, mem_limit, …).</summary>
        public Dictionary<string, object> Profile { get; init; } = [];
        /// <summary>Environment for the single-user server (merged into the launch's env on every tier).</summary>
        public Dictionary<string, string> Env { get; init; } = [];
        /// <summary>Files in the user's home before the kernel starts; {python} expands to each Python 3 minor version the images carry.</summary>
        public Dictionary<string, string> UserFiles { get; init; } = [];
        /// <summary>A cell run right after the kernel starts (e.g. one that allocates too much).</summary>
        public string? Cell { get; init; }
        /// <summary>The kernelspec to start instead of python3.</summary>
        public string? Kernel { get; init; }
        /// <summary>docker tier: the image's front end instead of its own (FRONTEND build arg: notebook7, lab, broken).</summary>
        public string? Frontend { get; init; }
        /// <summary>docker tier: KR_* settings of the hub's configuration (the scenario gets a hub of its own).</summary>
        public Dictionary<string, string> HubEnv { get; init; } = [];
    }

    private static readonly IDeserializer Yaml = new DeserializerBuilder()
        .WithNamingConvention(UnderscoredNamingConvention.Instance).Build();

    public static readonly string[] PythonVersions = ["3.9", "3.11", "3.13", "3.14"];

    public static Scenario Load(string name)
    {
        var path = FixturePaths.Of("scenarios", name + ".yaml");
        if (!File.Exists(path))
        {
            IEnumerable<string> known = Directory.Exists(FixturePaths.Of("scenarios"))
                ? Directory.EnumerateFiles(FixturePaths.Of("scenarios"), "*.yaml").Select(p => Path.GetFileNameWithoutExtension(p)).Order()
                : [];
            throw new HarnessException($"scenario '{name}' has no file {path}", $"use one of: {string.Join(", ", known)}");
        }
        return Parse(File.ReadAllText(path), path, name);
    }

    /// <summary>A scenario from its YAML, refused when its expectation cannot be judged: it must expect pass or fail, and a failure its words.</summary>
    public static Scenario Parse(string yaml, string path, string name)
    {
        Scenario scenario;
        try
        {
            scenario = (Yaml.Deserialize<Scenario>(yaml) ?? new Scenario()) with { Name = name };
        }
        catch (YamlException e)
        {
            throw new HarnessException($"scenario {path} is not valid YAML at line {e.Start.Line}: {(e.InnerException ?? e).Message}", "fix the file");
        }
        if (scenario.Expected is not ("fail" or "pass"))
        {
            throw new HarnessException($"scenario {path} has expected: '{scenario.Expected}', which is neither pass nor fail",
                "write expected: fail (with cause_contains: the words its cause must contain) or expected: pass");
        }
        if (scenario.Expected == "fail" && string.IsNullOrWhiteSpace(scenario.CauseContains))
        {
            throw new HarnessException($"scenario {path} expects a failure but has no cause_contains{(scenario.CauseContains is null ? "" : " (only blanks, which any cause contains)")}",
                "add cause_contains: the words the failure's cause must contain (taken from evidence, never a timeout)");
        }
        return scenario;
    }


    /// <summary>The launch profile with this scenario's overrides applied.</summary>
    public LaunchProfile Apply(LaunchProfile profile)
    {
        var p = profile with { Env = new Dictionary<string, string>(profile.Env) };
        foreach (var (k, v) in Setup.Env)
        {
            p.Env[k] = v;
        }
        foreach (var (k, v) in Setup.Profile)
        {
            var text = Convert.ToString(v, System.Globalization.CultureInfo.InvariantCulture) ?? "";
            p = k switch
            {
                "uid" => p with { Uid = int.Parse(text, System.Globalization.CultureInfo.InvariantCulture) },
                "gid" => p with { Gid = int.Parse(text, System.Globalization.CultureInfo.InvariantCulture) },
                "mem_limit" => p with { MemLimit = text },
                "cpu_limit" => p with { CpuLimit = double.Parse(text, System.Globalization.CultureInfo.InvariantCulture) },
                "working_dir" => p with { WorkingDir = text },
                "read_only_root" => p with { ReadOnlyRoot = bool.Parse(text) },
                _ => throw new HarnessException($"scenario {Name}: unknown profile override '{k}'", "use uid, gid, mem_limit, cpu_limit, working_dir or read_only_root; env goes under setup.env"),
            };
        }
        return p;
    }

    /// <summary>User files with {python} expanded.</summary>
    public IEnumerable<(string Path, string Content)> UserFiles() =>
        Setup.UserFiles.SelectMany(f => f.Key.Contains("{python}", StringComparison.Ordinal)
            ? PythonVersions.Select(v => (f.Key.Replace("{python}", v, StringComparison.Ordinal), f.Value))
            : [(f.Key, f.Value)]);
}
