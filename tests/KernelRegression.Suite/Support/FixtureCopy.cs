namespace KernelRegression.Suite.Support;

/// <summary>A copy of the fixtures (data only, a few hundred kB) a test changes and hands to kr with KR_FIXTURES.</summary>
internal static class FixtureCopy
{
    /// <summary>Copies the fixtures into <paramref name="folder"/>/fixtures and returns that path.</summary>
    public static string Into(string folder)
    {
        var to = Path.Combine(folder, "fixtures");
        foreach (var file in Directory.EnumerateFiles(FixturePaths.Root, "*", SearchOption.AllDirectories))
        {
            var target = Path.Combine(to, Path.GetRelativePath(FixturePaths.Root, file));
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Copy(file, target);
        }
        return to;
    }
}
