using System.Collections.Concurrent;

namespace KernelRegression;

/// <summary>
/// Every secret the run creates (hub API token, proxy token, user tokens) is registered here the
/// moment it exists, and every report, log copy and attachment passes through <see cref="Redact"/>.
/// </summary>
public static class Secrets
{
    private static readonly ConcurrentDictionary<string, byte> Known = new();

    public const string Mask = "[redacted]";

    public static string Register(string secret)
    {
        if (secret.Length >= 8)
        {
            Known.TryAdd(secret, 0);
        }
        return secret;
    }

    public static string Redact(string text)
    {
        foreach (var s in Known.Keys)
        {
            text = text.Replace(s, Mask, StringComparison.Ordinal);
        }
        return text;
    }
}
