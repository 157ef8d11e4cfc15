using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using YamlDotNet.Core;
using YamlDotNet.Serialization;
using YamlDotNet.Serialization.NamingConventions;

namespace KernelRegression.Matrix;

/// <summary>
/// How a spawner launches a single-user server, in pod terms: image entrypoint replaced (command)
/// or kept (args), environment, uid/gid, working dir, init, limits. One file per profile in
/// fixtures/profiles; a user's own file works the same way. The docker tier hands it to the hub's
/// ContainerSpawner; the kind tier renders it into chart values.
/// </summary>
public sealed partial record LaunchProfile
{
    public string Name { get; init; } = "";
    public string Description { get; init; } = "";
    /// <summary>Kubernetes `command`: replaces ENTRYPOINT, drops CMD. Null keeps the image's.</summary>
    public List<string>? Command { get; init; }
    /// <summary>Kubernetes `args`: replaces CMD, keeps ENTRYPOINT. Null keeps the image's.</summary>
    public List<string>? Args { get; init; }
    public Dictionary<string, string> Env { get; init; } = [];
    public int? Uid { get; init; }
    public int? Gid { get; init; }
    public string? WorkingDir { get; init; }
    public bool Init { get; init; }
    public string? MemLimit { get; init; }
    public double? CpuLimit { get; init; }
    public bool ReadOnlyRoot { get; init; }

    private static readonly IDeserializer Yaml = new DeserializerBuilder()
        .WithNamingConvention(UnderscoredNamingConvention.Instance)
        .Build();

    public static LaunchProfile Load(string path)
    {
        if (!File.Exists(path))
        {
            throw new HarnessException($"launch profile file {path} does not exist",
                $"use a profile from fixtures/profiles ({string.Join(", ", BuiltIn())}) or a path to your own YAML file");
        }
        try
        {
            var profile = Yaml.Deserialize<LaunchProfile>(File.ReadAllText(path)) ?? new LaunchProfile();
            profile = profile with { Name = string.IsNullOrEmpty(profile.Name) ? Path.GetFileNameWithoutExtension(path) : profile.Name };
            profile.Validate(path);
            return profile;
        }
        catch (YamlException e)
        {
            throw new HarnessException($"launch profile {path} is not valid YAML at line {e.Start.Line}, column {e.Start.Column}: {e.InnerException?.Message ?? e.Message}",
                "fix the file; fields are name, description, command, args, env, uid, gid, working_dir, init, mem_limit, cpu_limit, read_only_root");
        }
    }

    /// <summary>A built-in profile by name, or a path to a user's file.</summary>
    public static LaunchProfile Resolve(string nameOrPath) =>
        File.Exists(nameOrPath) ? Load(nameOrPath) : Load(FixturePaths.Of("profiles", nameOrPath + ".yaml"));

    public static IReadOnlyList<string> BuiltIn() =>
        Directory.Exists(FixturePaths.Of("profiles"))
            ? Directory.EnumerateFiles(FixturePaths.Of("profiles"), "*.yaml").Select(p => Path.GetFileNameWithoutExtension(p)).Order().ToList()
            : [];

    private void Validate(string path)
    {
        if (MemLimit is not null && !MemoryLimit().IsMatch(MemLimit))
        {
            throw new HarnessException($"launch profile {path}: mem_limit '{MemLimit}' is not a size",
                "write it as bytes or with a unit: 536870912, 512M, 1G, 256Mi");
        }
        if (CpuLimit is <= 0)
        {
            throw new HarnessException($"launch profile {path}: cpu_limit {CpuLimit} must be positive", "write CPUs as a number, e.g. 0.5");
        }
        if (Command is { Count: 0 } || Args is { Count: 0 })
        {
            throw new HarnessException($"launch profile {path}: an empty command or args list", "use null to keep the image's own, or list the program and its arguments");
        }
    }

    /// <summary>The JSON the hub's ContainerSpawner reads (user_options.launch_profile / KR_LAUNCH_PROFILE).</summary>
    public JsonObject ToSpawnerJson(string image)
    {
        var o = new JsonObject
        {
            ["image"] = image,
            ["command"] = Command is null ? null : new JsonArray([.. Command.Select(c => (JsonNode)JsonValue.Create(c))]),
            ["args"] = Args is null ? null : new JsonArray([.. Args.Select(c => (JsonNode)JsonValue.Create(c))]),
            ["env"] = JsonSerializer.SerializeToNode(Env),
            ["uid"] = Uid,
            ["gid"] = Gid,
            ["working_dir"] = WorkingDir,
            ["init"] = Init,
            ["mem_limit"] = MemLimit,
            ["cpu_limit"] = CpuLimit,
            ["read_only_root"] = ReadOnlyRoot,
            ["labels"] = new JsonObject { ["org.kernelregression.profile"] = Name },
        };
        return o;
    }

    [GeneratedRegex(@"^\d+(\.\d+)?([KMGT]i?)?$")]
    private static partial Regex MemoryLimit();
}
