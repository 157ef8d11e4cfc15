using KernelRegression.Browser;
using KernelRegression.Docker;

namespace KernelRegression.Suite.Support;

/// <summary>The docker tier needs a Docker engine new enough for Testcontainers; asked once per test run.</summary>
public sealed class DockerTierProbe : ITierProbe
{
    private static readonly Lazy<string?> Missing = new(() =>
    {
        try
        {
            using var deadline = new CancellationTokenSource(Deadline.Of(30));
            DockerEngine.RequireAsync(deadline.Token).GetAwaiter().GetResult();
            return null;
        }
        catch (MissingPrerequisiteException e)
        {
            return $"docker tier: {e.What} ({e.Fix})";
        }
    });

    public string Tier => "docker";

    public string? WhyNot() => Missing.Value;
}

/// <summary>The browser checks need Debian's Chromium (KR_CHROMIUM).</summary>
public sealed class BrowserProbe : ITierProbe
{
    public string Tier => "browser";

    public string? WhyNot() => ChromiumHost.Unavailable(new BrowserOptions());
}
