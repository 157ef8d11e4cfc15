using CliWrap;
using CliWrap.Buffered;
using KernelRegression.Evidence;
using KernelRegression.Logs;
using KernelRegression.Runs;

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

    public static async Task<IReadOnlyDictionary<string, string>> CollectAsync(string runId, string user, string home, CancellationToken ct)
    {
        var facts = new Dictionary<string, string>();
        var rows = new List<ProcessRow>();
        var environment = "";
        foreach (var p in LocalProcess.All().Where(p => p.Variable(Run.LabelVariable) == runId && p.Variable("JUPYTERHUB_USER") == user))
        {
            if (p.ParentPid is not { } ppid || p.Uid is not { } uid)
            {
                continue; // exited while being read
            }
            var row = new ProcessRow(p.Pid, ppid, uid, p.CommandLine);
            rows.Add(row);
            if (ProcessTable.IsServer(row) && environment.Length == 0)
            {
                Facts.AddEnvironment(p.Environment, facts);
                environment = string.Join('\n', facts.Where(f => f.Key.StartsWith("env.", StringComparison.Ordinal)).Select(f => $"{f.Key[4..]}={f.Value}"));
            }
        }
        ProcessTable.AddFacts(rows, facts);
        if (System.Text.Json.Nodes.JsonNode.Parse(await Versions.Value.WaitAsync(ct)) is System.Text.Json.Nodes.JsonObject v)
        {
            foreach (var (k, val) in v)
            {
                facts["versions." + k] = val?.ToString() ?? "";
            }
        }
        facts["user.home"] = home;
        facts["user.home.writable"] = Directory.Exists(home).ToString().ToLowerInvariant();
        return new Dictionary<string, string>
        {
            ["facts"] = Facts.Render(facts),
            ["process-tree"] = ProcessTable.Render(rows),
            ["environment"] = environment,
        };
    }
}
