namespace KernelRegression;

/// <summary>Where the fixture data (hub config, kernelspecs, notebooks, images, matrix) is: copied beside the binaries, or the repo's fixtures/.</summary>
public static class FixturePaths
{
    public static string Root { get; } = Find();

    public static string Of(params string[] parts) => Path.Combine([Root, .. parts]);

    private static string Find()
    {
        var fromEnv = Settings.Fixtures;
        if (!string.IsNullOrEmpty(fromEnv))
        {
            return fromEnv;
        }
        // Prefer the repository's fixtures/ (image recipes, matrix) when running from a checkout.
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "KernelRegression.sln")))
            {
                return Path.Combine(dir.FullName, "fixtures");
            }
        }
        return Path.Combine(AppContext.BaseDirectory, "fixtures");
    }
}
