using System.Diagnostics;
using KernelRegression.Docker;

namespace KernelRegression.Host;

/// <summary>
/// What Testcontainers' Ryuk does, without an image to pull: a small watcher started with each run, in a
/// session of its own so it outlives the run's process (and its process group). When the run's owner
/// dies without ending the run (SIGKILL, a crash, a runner that killed the job), it removes the run's
/// labelled processes, containers, networks and volumes and its directory, within a second or two. A
/// run that ends cleanly stops its reaper; the next run's sweep remains the fallback if the reaper died too.
/// </summary>
internal static class Reaper
{
    // Polls the owner every 0.5 s (a shell cannot wait on a process that is not its child). Processes are
    // the run's when their environment carries KR_RUN_ID=RUN; the reaper's own environment does not.
    private const string Script = """
        owner=$1; run=$2; dir=$3
        while kill -0 "$owner" 2>/dev/null; do sleep 0.5; done
        # Again until a pass finds none: a process may be forking (a hub spawning a server) during a pass.
        # One grep reads every process's environment (NUL-separated) and names the run's.
        for pass in 1 2 3 4 5 6 7 8 9 10; do
          pids=$(grep -lxz "KR_RUN_ID=$run" /proc/[0-9]*/environ 2>/dev/null | cut -d/ -f3)
          [ -z "$pids" ] && break
          kill -9 $pids 2>/dev/null
          sleep 0.2
        done
        if command -v docker >/dev/null 2>&1; then
          f="label=$4=$run"
          c=$(docker ps -aq --filter "$f" 2>/dev/null); [ -n "$c" ] && docker rm -f -v $c >/dev/null 2>&1
          n=$(docker network ls -q --filter "$f" 2>/dev/null); [ -n "$n" ] && docker network rm $n >/dev/null 2>&1
          v=$(docker volume ls -q --filter "$f" 2>/dev/null); [ -n "$v" ] && docker volume rm -f $v >/dev/null 2>&1
        fi
        rm -rf "$dir"
        """;

    /// <summary>Starts the run's reaper; null where it cannot (no setsid): the next run's sweep then does its work.</summary>
    public static Process? Start(string runId, string directory)
    {
        var start = new ProcessStartInfo("setsid")
        {
            UseShellExecute = false,
            RedirectStandardInput = true,
            RedirectStandardOutput = false,
            RedirectStandardError = false,
        };
        foreach (var a in new[] { "sh", "-c", Script, "kr-reaper", Environment.ProcessId.ToString(System.Globalization.CultureInfo.InvariantCulture), runId, directory, DockerEngine.RunLabel })
        {
            start.ArgumentList.Add(a);
        }
        start.Environment.Remove(Run.LabelVariable);
        try
        {
            return Process.Start(start);
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return null;
        }
    }
}
