using System.Buffers.Binary;
using System.Text;
using System.Text.Json.Nodes;

namespace KernelRegression.Jupyter;

/// <summary>
/// Encodes and decodes channel messages in both forms a Jupyter server speaks: the
/// v1.kernel.websocket.jupyter.org binary form (a little-endian u64 offset table, then channel,
/// header, parent_header, metadata, content, buffers) and the legacy JSON text form.
/// Servers have been seen to accept v1 and then send legacy frames (jupyter-server/jupyter_server#1310),
/// so decoding looks at the frame, not at what was negotiated.
/// </summary>
public static class WireCodec
{
    public const string V1Protocol = "v1.kernel.websocket.jupyter.org";

    public static byte[] EncodeV1(KernelMessage m)
    {
        var parts = new[]
        {
            Encoding.UTF8.GetBytes(m.Channel),
            Bytes(m.Header), Bytes(m.ParentHeader), Bytes(m.Metadata), Bytes(m.Content),
        };
        // Offsets: where each part starts, then where the last one ends.
        var offsetCount = parts.Length + 1;
        var tableSize = 8 * (1 + offsetCount);
        var total = tableSize + parts.Sum(p => p.Length);
        var frame = new byte[total];
        BinaryPrimitives.WriteUInt64LittleEndian(frame, (ulong)offsetCount);
        var position = tableSize;
        for (var i = 0; i < parts.Length; i++)
        {
            BinaryPrimitives.WriteUInt64LittleEndian(frame.AsSpan(8 * (i + 1)), (ulong)position);
            parts[i].CopyTo(frame, position);
            position += parts[i].Length;
        }
        BinaryPrimitives.WriteUInt64LittleEndian(frame.AsSpan(8 * offsetCount), (ulong)position);
        return frame;
    }

    public static KernelMessage DecodeV1(ReadOnlySpan<byte> frame)
    {
        if (frame.Length < 16)
        {
            throw new FormatException($"v1 kernel frame too short ({frame.Length} bytes)");
        }
        var count = checked((int)BinaryPrimitives.ReadUInt64LittleEndian(frame));
        if (count < 6 || 8 * (1 + count) > frame.Length)
        {
            throw new FormatException($"v1 kernel frame has a bad offset table ({count} offsets, {frame.Length} bytes)");
        }
        var offsets = new int[count];
        for (var i = 0; i < count; i++)
        {
            offsets[i] = checked((int)BinaryPrimitives.ReadUInt64LittleEndian(frame[(8 * (i + 1))..]));
            if (offsets[i] > frame.Length || (i > 0 && offsets[i] < offsets[i - 1]))
            {
                throw new FormatException($"v1 kernel frame offset {i} = {offsets[i]} is out of order or past the end");
            }
        }
        return new KernelMessage(
            Encoding.UTF8.GetString(frame[offsets[0]..offsets[1]]),
            KernelMessage.ParseObject(frame[offsets[1]..offsets[2]]),
            KernelMessage.ParseObject(frame[offsets[2]..offsets[3]]),
            KernelMessage.ParseObject(frame[offsets[3]..offsets[4]]),
            KernelMessage.ParseObject(frame[offsets[4]..offsets[5]]));
    }

    public static string EncodeLegacy(KernelMessage m) => new JsonObject
    {
        ["channel"] = m.Channel,
        ["header"] = m.Header.DeepClone(),
        ["parent_header"] = m.ParentHeader.DeepClone(),
        ["metadata"] = m.Metadata.DeepClone(),
        ["content"] = m.Content.DeepClone(),
        ["buffers"] = new JsonArray(),
    }.ToJsonString(KernelMessage.Json);

    public static KernelMessage DecodeLegacy(string text)
    {
        var o = JsonNode.Parse(text) as JsonObject
            ?? throw new FormatException("legacy kernel frame is not a JSON object");
        return new KernelMessage(
            o["channel"]?.GetValue<string>() ?? "",
            o["header"] as JsonObject ?? new JsonObject(),
            o["parent_header"] as JsonObject ?? new JsonObject(),
            o["metadata"] as JsonObject ?? new JsonObject(),
            o["content"] as JsonObject ?? new JsonObject());
    }

    /// <summary>Decodes a frame by its shape: binary frames are v1, text frames legacy JSON.</summary>
    public static KernelMessage Decode(byte[]? binary, string? text) =>
        binary is { Length: > 0 } && binary[0] != (byte)'{' ? DecodeV1(binary)
        : DecodeLegacy(text ?? Encoding.UTF8.GetString(binary ?? []));

    private static byte[] Bytes(JsonObject o) => Encoding.UTF8.GetBytes(o.ToJsonString(KernelMessage.Json));
}
