using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace KernelRegression.Jupyter;

/// <summary>One Jupyter protocol message as it crosses the channels WebSocket.</summary>
public sealed record KernelMessage(
    string Channel,
    JsonObject Header,
    JsonObject ParentHeader,
    JsonObject Metadata,
    JsonObject Content)
{
    public const string ProtocolVersion = "5.3";

    public string MsgId => Header["msg_id"]?.GetValue<string>() ?? "";
    public string MsgType => Header["msg_type"]?.GetValue<string>() ?? "";
    public string? ParentMsgId => ParentHeader["msg_id"]?.GetValue<string>();

    /// <summary>A request from this client, with a fresh msg_id.</summary>
    public static KernelMessage Request(string channel, string msgType, string session, JsonObject? content = null) =>
        new(channel,
            new JsonObject
            {
                ["msg_id"] = Guid.NewGuid().ToString("N"),
                ["username"] = "kernelregression",
                ["session"] = session,
                ["date"] = DateTimeOffset.UtcNow.ToString("o", CultureInfo.InvariantCulture),
                ["msg_type"] = msgType,
                ["version"] = ProtocolVersion,
            },
            new JsonObject(),
            new JsonObject(),
            content ?? new JsonObject());

    public string? ContentString(string key) =>
        Content[key] is JsonValue v && v.TryGetValue<string>(out var s) ? s : null;

    /// <summary>Short, human-readable summary for a timeline line.</summary>
    public string Summary() => MsgType switch
    {
        "status" => ContentString("execution_state") ?? "?",
        "stream" => $"{ContentString("name")}: {Trim(ContentString("text"))}",
        "error" => $"{ContentString("ename")}: {Trim(ContentString("evalue"))}",
        "execute_reply" => ContentString("status") ?? "?",
        "execute_result" or "display_data" => Trim(Content["data"]?["text/plain"]?.ToString()),
        "execute_input" => Trim(ContentString("code")),
        _ => "",
    };

    private static string Trim(string? s)
    {
        s = (s ?? "").Replace("\n", "\\n", StringComparison.Ordinal);
        return s.Length > 80 ? s[..80] + "…" : s;
    }

    internal static JsonObject ParseObject(ReadOnlySpan<byte> utf8) =>
        utf8.IsEmpty ? new JsonObject() : JsonNode.Parse(utf8) as JsonObject ?? new JsonObject();

    internal static readonly JsonSerializerOptions Json = new() { WriteIndented = false };
}
