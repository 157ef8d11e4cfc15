namespace KernelRegression.Tiers;

/// <summary>
/// Who the server runs as, whether its home really takes a write (a probe writes and removes a file), and
/// what the user installed into their own site-packages (~/.local/lib/pythonX.Y/site-packages/NAME, as paths
/// under the home): Python puts those before the image's, so a stale one shadows it.
/// </summary>
public sealed record UserState(string? Home, bool? HomeWritable)
{
    /// <summary>Entries of the user's site-packages, relative to the home (".local/lib/python3.11/site-packages/IPython").</summary>
    public IReadOnlyList<string> SitePackages { get; init; } = [];

    /// <summary>The user's copy of a top-level package or module, preferring the site-packages of <paramref name="python"/> (e.g. "3.11.2").</summary>
    public string? Shadowing(string package, string? python)
    {
        var mine = SitePackages.Where(p => Path.GetFileName(p) == package || Path.GetFileName(p) == package + ".py").ToList();
        var minor = python is null ? null : string.Join('.', python.Split('.').Take(2));
        return mine.FirstOrDefault(p => minor is not null && p.Contains($"/python{minor}/", StringComparison.Ordinal)) ?? mine.FirstOrDefault();
    }

    /// <summary>The entries of "ls -d $HOME/.local/lib/python3*/site-packages/*" (absolute), relative to the home.</summary>
    public static IReadOnlyList<string> RelativeToHome(IEnumerable<string> entries, string? home) =>
        [.. entries.Select(e => e.Trim()).Where(e => e.Length > 0)
            .Select(e => home is not null && e.StartsWith(home.TrimEnd('/') + "/", StringComparison.Ordinal) ? e[(home.TrimEnd('/').Length + 1)..] : e)];

    public IEnumerable<(string Key, string Value)> Facts()
    {
        if (Home is not null)
        {
            yield return ("user.home", Home);
        }
        if (HomeWritable is { } w)
        {
            yield return ("user.home.writable", w ? "true" : "false");
        }
        if (SitePackages.Count > 0)
        {
            yield return ("user.site_packages", string.Join(' ', SitePackages));
        }
    }
}
