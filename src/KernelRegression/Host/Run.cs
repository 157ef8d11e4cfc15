using System.Security.Cryptography;

namespace KernelRegression.Host;

/// <summary>
/// One run of the harness: an id every resource is labelled with, a private temp directory that
/// records its owner process, and a sweep of what crashed earlier runs left behind.
/// </summary>
public sealed class Run : IAsyncDisposable
{
    public const string LabelVariable = "KR_RUN_ID";
    private readonly List<Func<Task>> _cleanups = [];
    private readonly Lock _gate = new();

    private readonly System.Diagnostics.Process? _reaper;

    private Run(string id, string directory)
    {
        Id = id;
        Directory = directory;
        _reaper = Reaper.Start(id, directory);
    }

    public string Id { get; }
    /// <summary>The run's temp directory (hub state, homes, logs); removed at the end.</summary>
    public string Directory { get; }

    /// <summary>
    /// Where every run on this machine keeps its directory. Not $TMPDIR: a run takes the resources of a
    /// run whose directory it cannot find for a crashed run's and sweeps them, so all runs on a machine
    /// must share this root (CI jobs and `dotnet test` often get a TMPDIR of their own). KR_TMP moves it.
    /// </summary>
    public static string Root =>
        Path.Combine(Settings.TempRoot, "kernelregression");

    /// <summary>Starts a run: sweeps stale runs first, then claims a fresh directory.</summary>
    public static Run Start()
    {
        StaleRuns.Sweep(Root);
        var id = $"{DateTime.UtcNow:yyyyMMdd-HHmmss}-{Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(3))}";
        var dir = Path.Combine(Root, id);
        System.IO.Directory.CreateDirectory(dir);
        File.WriteAllText(Path.Combine(dir, StaleRuns.OwnerFile), OwnerStamp.Current());
        return new Run(id, dir);
    }

    /// <summary>A subdirectory of the run, created.</summary>
    public string Folder(params string[] parts)
    {
        var path = Path.Combine([Directory, .. parts]);
        System.IO.Directory.CreateDirectory(path);
        return path;
    }

    /// <summary>Registers a cleanup; they run in reverse order at dispose.</summary>
    public void OnDispose(Func<Task> cleanup)
    {
        lock (_gate)
        {
            _cleanups.Add(cleanup);
        }
    }

    public async ValueTask DisposeAsync()
    {
        List<Func<Task>> cleanups;
        lock (_gate)
        {
            cleanups = [.. _cleanups];
            _cleanups.Clear();
        }
        cleanups.Reverse();
        foreach (var c in cleanups)
        {
            try
            {
                await c();
            }
            catch (Exception e)
            {
                Console.Error.WriteLine($"[kr] cleanup of run {Id} failed: {e.Message}");
            }
        }
        LabelledProcesses.Kill(Id);
        if (!Settings.KeepRunDirectory)
        {
            TryDelete(Directory);
        }
        // Ended cleanly: nothing is left for the reaper, which would otherwise wait for this process to exit.
        if (_reaper is { HasExited: false })
        {
            _reaper.Kill();
        }
        _reaper?.Dispose();
    }

    internal static void TryDelete(string dir)
    {
        try
        {
            System.IO.Directory.Delete(dir, recursive: true);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // A file still held open by a dying process; the next run's sweep removes it.
        }
    }
}
