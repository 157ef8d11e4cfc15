namespace KernelRegression.Tests.Support;

/// <summary>A fresh temporary folder for one test, deleted with all it holds when disposed.</summary>
internal sealed class TempDir(string prefix) : IDisposable
{
    public string FullName { get; } = Directory.CreateTempSubdirectory(prefix).FullName;

    /// <summary>Writes <paramref name="content"/> to the file <paramref name="name"/> in the folder and returns its path.</summary>
    public string Write(string name, string content)
    {
        var path = Path.Combine(FullName, name);
        File.WriteAllText(path, content);
        return path;
    }

    public void Dispose() => Directory.Delete(FullName, recursive: true);
}
