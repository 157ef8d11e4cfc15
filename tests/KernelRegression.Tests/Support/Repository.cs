namespace KernelRegression.Tests.Support;

/// <summary>The checkout these tests were built from (the folder holding KernelRegression.sln), for tests that read its files.</summary>
internal static class Repository
{
    public static string Root
    {
        get
        {
            for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            {
                if (File.Exists(Path.Combine(dir.FullName, "KernelRegression.sln")))
                {
                    return dir.FullName;
                }
            }
            throw new InvalidOperationException($"no KernelRegression.sln above {AppContext.BaseDirectory}: run the tests from a checkout");
        }
    }
}
