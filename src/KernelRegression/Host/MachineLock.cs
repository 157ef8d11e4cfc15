namespace KernelRegression.Host;

/// <summary>A lock shared by every harness process on the machine (an exclusively opened file), for work two runs must not do at once.</summary>
public sealed class MachineLock : IDisposable
{
    private readonly FileStream _file;

    private MachineLock(FileStream file) => _file = file;

    public static async Task<MachineLock> AcquireAsync(string name, CancellationToken ct)
    {
        var dir = Path.Combine(Run.Root, "locks");
        Directory.CreateDirectory(dir);
        var path = Path.Combine(dir, name + ".lock");
        var delay = TimeSpan.FromMilliseconds(50);
        while (true)
        {
            try
            {
                return new MachineLock(new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None, 1, FileOptions.DeleteOnClose));
            }
            catch (IOException)
            {
                // Held by another run: no notification exists for a file lock, so back off and retry.
                await Task.Delay(delay, ct);
                delay = TimeSpan.FromMilliseconds(Math.Min(delay.TotalMilliseconds * 2, 1000));
            }
        }
    }

    public void Dispose() => _file.Dispose();
}
