using KernelRegression.Evidence;
using KernelRegression.Logs;
using KernelRegression.Jupyter;
using KernelRegression.Tiers;

namespace KernelRegression.Checks;

/// <summary>What a cell leaves behind besides verdicts: the tier's facts, and the causes only those facts can give.</summary>
internal static class CellEvidence
{
    /// <summary>Tier evidence (process tree, versions, container state) plus what the cell asked for, as facts.</summary>
    internal static async Task CollectAsync(IHubDeployment deployment, Student student, KernelConnection? kernel,
        System.Text.Json.Nodes.JsonObject? userOptions, Dictionary<string, string> evidence)
    {
        var facts = new Dictionary<string, string>
        {
            ["tier"] = deployment.Tier,
            ["hub.version"] = deployment.HubVersion,
            ["kernel.last_status"] = kernel?.ExecutionState ?? "never connected",
            ["kernel.protocol"] = kernel?.Protocol ?? "",
        };
        if (userOptions?["launch_profile"] is System.Text.Json.Nodes.JsonObject launch)
        {
            foreach (var (k, v) in launch)
            {
                facts[k == "image" ? "image" : "profile." + k] = v?.ToJsonString().Trim('"') ?? "null";
            }
        }
        using var cts = new CancellationTokenSource(Deadline.Of(20));
        try
        {
            var tier = await deployment.CollectEvidenceAsync(student.Name, student.ServerName, cts.Token);
            foreach (var (k, v) in tier.Where(t => t.Key != "facts"))
            {
                evidence[k] = v;
            }
            if (tier.TryGetValue("facts", out var tierFacts))
            {
                foreach (var line in tierFacts.Split('\n', StringSplitOptions.RemoveEmptyEntries))
                {
                    var eq = line.IndexOf('=', StringComparison.Ordinal);
                    facts[line[..eq]] = line[(eq + 1)..];
                }
            }
        }
        catch (Exception e)
        {
            // Evidence is best effort: failing to read it must never change a cell's verdict.
            facts["evidence.error"] = $"{e.GetType().Name}: {e.Message.Split('\n')[0]}";
        }
        evidence["facts"] = Facts.Render(facts);
    }

    /// <summary>
    /// The cause in the server's own log. A server that has just died may not have reached the log yet
    /// (a container's output is followed, not read): its last words get a moment to arrive.
    /// </summary>
    internal static async Task<string?> ServerLogCauseAsync(IHubDeployment deployment, Student? student)
    {
        if (student is null)
        {
            return null;
        }
        var log = deployment.KernelLog(student.Name, student.ServerName);
        await CauseFinder.WaitForCauseAsync(log, 0, TimeSpan.FromSeconds(2));
        return CauseFinder.Find(log.LinesSince(0));
    }

    /// <summary>
    /// Causes only the tier's facts can give. A kernel killed by the OOM killer leaves no traceback:
    /// only the cgroup's counter (or docker's OOMKilled) says why. A kernel that dies at start under a
    /// server that is PID 1 is the incident's signature. When the facts say so, that is the cause.
    /// </summary>
    internal static List<CheckOutcome> ExplainFromFacts(List<CheckOutcome> outcomes, Dictionary<string, string> evidence)
    {
        if (!evidence.TryGetValue("facts", out var text) || outcomes.All(o => o.Verdict != Verdict.Failed))
        {
            return outcomes;
        }
        var facts = text.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => l.Split('=', 2)).Where(p => p.Length == 2).ToDictionary(p => p[0], p => p[1]);
        var kills = facts.TryGetValue("container.oom_kills", out var k) && int.TryParse(k, out var n) ? n : 0;
        var oomKilled = facts.TryGetValue("container.oom_killed", out var o) && o == "true";
        var running = facts.GetValueOrDefault("container.status") == "running";
        var limit = facts.TryGetValue("profile.mem_limit", out var l) ? l : "?";
        string cause;
        if (kills > 0 || oomKilled)
        {
            // Docker sets OOMKilled for any OOM kill in the container; while it still runs, the victim was the kernel.
            cause = running
                ? $"out of memory: the container's memory cgroup OOM-killed the kernel ({Math.Max(kills, 1)} kill(s), limit {limit}); it died without a traceback"
                : $"out of memory: the container was OOM-killed (exit {facts.GetValueOrDefault("container.exit_code")}, limit {limit})";
        }
        else if (facts.GetValueOrDefault("proc.server.is_pid1") == "true"
            && outcomes.FirstOrDefault(c => c.Verdict == Verdict.Failed)?.Cause is { } died && died.Contains("KernelRestarter", StringComparison.Ordinal))
        {
            // The incident's signature: kernels die at start, and their parent, the server, is PID 1.
            cause = $"kernel died at start while the server, its parent, is PID 1 (`{facts.GetValueOrDefault("proc.pid1")}`): {died}";
        }
        else
        {
            return outcomes;
        }
        return outcomes.Select(c => c.Verdict == Verdict.Failed ? c with { Cause = cause } : c).ToList();
    }
}
