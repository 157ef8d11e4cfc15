namespace KernelRegression.Evidence;

/// <summary>Who the server runs as and whether its home really takes a write (a probe writes and removes a file).</summary>
public sealed record UserState(string? Home, bool? HomeWritable)
{
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
    }
}
