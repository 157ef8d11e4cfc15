using CliWrap;
using CliWrap.Buffered;
using KernelRegression.Host;

namespace KernelRegression.Tiers.Process;

/// <summary>A user's server and kernels on the process tier, read from /proc by the run label and JUPYTERHUB_USER.</summary>
public static class ProcessFacts
{
    private static readonly Lazy<Task<string>> Versions = new(async () =>
        (await Cli.Wrap("/usr/bin/python3").WithArguments(["-c",
            "import json, sys, importlib\nv = {'python': sys.version.split()[0]}\n" +
            "for m in ['jupyterhub', 'notebook', 'jupyter_server', 'ipykernel', 'jupyter_client']:\n" +
            "    try: v[m] = importlib.import_module(m).__version__\n    except Exception: v[m] = ''\nprint(json.dumps(v))"])
            .WithValidation(CommandResultValidation.None).ExecuteBufferedAsync()).StandardOutput);

    public static async Task<TierEvidence> CollectAsync(string runId, string user, string home, CancellationToken ct)
    {
        var rows = new List<ProcessRow>();
        IReadOnlyDictionary<string, string> environment = new Dictionary<string, string>();
        foreach (var p in LocalProcess.All().Where(p => p.Variable(Run.LabelVariable) == runId && p.Variable("JUPYTERHUB_USER") == user))
        {
            if (p.ParentPid is not { } ppid || p.Uid is not { } uid)
            {
                continue; // exited while being read
            }
            var row = new ProcessRow(p.Pid, ppid, uid, p.CommandLine);
            rows.Add(row);
            if (row.IsServer && environment.Count == 0)
            {
                environment = TierEvidence.MaskedEnvironment(p.Environment);
            }
        }
        var versions = new Dictionary<string, string>();
        if (System.Text.Json.Nodes.JsonNode.Parse(await Versions.Value.WaitAsync(ct)) is System.Text.Json.Nodes.JsonObject v)
        {
            foreach (var (k, val) in v)
            {
                versions[k] = val?.ToString() ?? "";
            }
        }
        return new TierEvidence
        {
            Processes = new ProcessTree(rows),
            Versions = versions,
            Environment = environment,
            User = new UserState(home, WriteProbe(home)) { SitePackages = UserState.RelativeToHome(UserSite(home), home) },
        };
    }

    /// <summary>What the user installed into ~/.local/lib/python3*/site-packages, as the probe's `ls -d` lists it.</summary>
    private static IEnumerable<string> UserSite(string home)
    {
        var lib = Path.Combine(home, ".local", "lib");
        return Directory.Exists(lib)
            ? Directory.EnumerateDirectories(lib, "python3*").Select(p => Path.Combine(p, "site-packages")).Where(Directory.Exists)
                .SelectMany(Directory.EnumerateFileSystemEntries).Order(StringComparer.Ordinal)
            : [];
    }

    /// <summary>Whether the home takes a write: a file is written and removed (a directory can exist and refuse writes).</summary>
    private static bool WriteProbe(string home)
    {
        var probe = Path.Combine(home, $".kr-write-probe-{Environment.ProcessId}");
        try
        {
            File.WriteAllText(probe, "kr");
            File.Delete(probe);
            return true;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return false;
        }
    }
}
