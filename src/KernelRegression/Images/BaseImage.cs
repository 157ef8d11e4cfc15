using System.Diagnostics;
using CliWrap;
using CliWrap.Buffered;
using KernelRegression.Host;
using KernelRegression.Docker;

namespace KernelRegression.Images;

/// <summary>
/// kr/debian:SUITE, the base every recipe builds on: debian:SUITE-slim from a registry when one is
/// reachable, otherwise debootstrap --variant=minbase into a temp dir and the engine's import (this machine
/// has no container registry). Made once per machine; kept between runs.
/// </summary>
public static class BaseImage
{
    public static string Tag(string suite) => $"kr/debian:{suite}";

    private static readonly System.Collections.Concurrent.ConcurrentDictionary<string, Lazy<Task>> Making = new();

    /// <summary>
    /// Makes kr/debian:SUITE if it is missing: once per process (every recipe of a suite asks at the
    /// same time on a fresh machine) and once per machine (a file lock, for runs started together).
    /// </summary>
    public static Task EnsureAsync(string suite, Action<string> progress, CancellationToken ct) =>
        Making.GetOrAdd(suite, s => new Lazy<Task>(() => MakeAsync(s, progress, ct))).Value;

    private static async Task MakeAsync(string suite, Action<string> progress, CancellationToken ct)
    {
        var tag = Tag(suite);
        if (await DockerEngine.ImageExistsAsync(tag, ct))
        {
            return;
        }
        using var machineLock = await MachineLock.AcquireAsync("base-" + suite, ct);
        if (await DockerEngine.ImageExistsAsync(tag, ct))
        {
            return; // another run made it while this one waited
        }
        var sw = Stopwatch.StartNew();
        if (await TryPullAsync(suite, tag, progress, ct))
        {
            progress($"{tag}: from debian:{suite}-slim in {sw.Elapsed.TotalSeconds:0} s");
            return;
        }
        if (!File.Exists("/usr/sbin/debootstrap"))
        {
            throw new MissingPrerequisiteException($"no registry is reachable for debian:{suite}-slim and debootstrap is not installed",
                "run eng/bootstrap.sh docker (it installs debootstrap), or make debian:SUITE-slim pullable");
        }
        // A folder of the runs root with an owner stamp: a crash mid-debootstrap is swept like a run.
        var work = Path.Combine(Run.Root, $"base-{suite}-{Environment.ProcessId}");
        Directory.CreateDirectory(work);
        File.WriteAllText(Path.Combine(work, StaleRuns.OwnerFile), OwnerStamp.Current());
        var root = Path.Combine(work, "rootfs");
        try
        {
            progress($"{tag}: debootstrap {suite} from {ImageRecipe.Mirror} (about 35 s)");
            // debootstrap downloads with wget, whose defaults wait 15 min on a stalled read and try 20 times.
            var wgetrc = Path.Combine(work, "wgetrc");
            File.WriteAllText(wgetrc, "read_timeout = 30\ntimeout = 30\ntries = 3\n");
            var limit = Deadline.Of(900);
            using var deadline = CancellationTokenSource.CreateLinkedTokenSource(ct);
            deadline.CancelAfter(limit);
            var last = "";
            CommandResult r;
            try
            {
                r = await Cli.Wrap("/usr/sbin/debootstrap")
                    .WithArguments(["--variant=minbase", suite, root, ImageRecipe.Mirror])
                    .WithEnvironmentVariables(e => e.Set("WGETRC", wgetrc))
                    .WithStandardOutputPipe(PipeTarget.ToDelegate(l => { last = l; if (l.StartsWith("I: Retrieving", StringComparison.Ordinal) is false) { progress($"{tag}: {l}"); } }))
                    .WithValidation(CommandResultValidation.None)
                    .ExecuteAsync(deadline.Token);
            }
            catch (OperationCanceledException) when (!ct.IsCancellationRequested)
            {
                throw new HarnessFaultException($"debootstrap of {suite} did not finish within {limit.TotalMinutes:0} min; it was at: {last}",
                    "check that the mirror (KR_DEBIAN_MIRROR) answers, and run again");
            }
            if (r.ExitCode != 0)
            {
                throw new HarnessFaultException($"debootstrap of {suite} failed (exit {r.ExitCode})", "check the mirror (KR_DEBIAN_MIRROR) is reachable and that this runs as root");
            }
            // tar (GNU tar keeps owners, modes, devices, hard links and xattrs as debootstrap made them) streams
            // the tree straight into the engine's import.
            await ImportAsync(root, tag, ct);
            progress($"{tag}: imported in {sw.Elapsed.TotalSeconds:0} s");
        }
        finally
        {
            await Cli.Wrap("rm").WithArguments(["-rf", "--one-file-system", work]).WithValidation(CommandResultValidation.None).ExecuteAsync(CancellationToken.None);
        }
    }

    private static async Task ImportAsync(string root, string tag, CancellationToken ct)
    {
        var tar = new ProcessStartInfo("tar", ["-C", root, "-c", "."]) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        using var process = System.Diagnostics.Process.Start(tar) ?? throw new MissingPrerequisiteException("tar could not be started", "apt-get install tar");
        var stderr = process.StandardError.ReadToEndAsync(ct);
        try
        {
            await DockerEngine.ImportAsync(process.StandardOutput.BaseStream, tag, ct);
            await process.WaitForExitAsync(ct);
        }
        finally
        {
            if (!process.HasExited)
            {
                process.Kill();
            }
        }
        if (process.ExitCode != 0)
        {
            throw new HarnessFaultException($"tar of the {tag} root filesystem failed (exit {process.ExitCode}): {(await stderr).Trim()}", "check the free disk space and that this runs as root");
        }
    }

    private static async Task<bool> TryPullAsync(string suite, string tag, Action<string> progress, CancellationToken ct)
    {
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(ct);
        cts.CancelAfter(TimeSpan.FromSeconds(60));
        try
        {
            await DockerEngine.PullAsync($"debian:{suite}-slim", cts.Token);
            await DockerEngine.TagAsync($"debian:{suite}-slim", tag, ct);
            return true;
        }
        catch (HarnessFaultException)
        {
            progress($"{tag}: no registry reachable for debian:{suite}-slim, building the base with debootstrap");
            return false;
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
            return false;
        }
    }
}
