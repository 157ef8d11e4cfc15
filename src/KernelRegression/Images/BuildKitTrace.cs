using System.Text;

namespace KernelRegression.Images;

/// <summary>A step of a BuildKit build ("[packages 3/7] RUN …"), as one status update left it.</summary>
public sealed record BuildVertex(string Digest, string Name, bool Started, bool Completed, bool Cached, string? Error);

/// <summary>Output a step printed: its stream (1 stdout, 2 stderr) and bytes.</summary>
public sealed record BuildLog(string Vertex, long Stream, byte[] Message);

/// <summary>
/// One status update of a BuildKit build as the Engine API streams it: the aux of a "moby.buildkit.trace"
/// message, base64 of BuildKit's protobuf StatusResponse (moby/buildkit api/services/control/control.proto).
/// Only the fields the harness reads are decoded (vertexes: digest 1, name 3, cached 4, started 5,
/// completed 6, error 7; logs: vertex 1, stream 3, msg 4); the rest of the wire format is skipped.
/// </summary>
public sealed record BuildKitTrace(IReadOnlyList<BuildVertex> Vertexes, IReadOnlyList<BuildLog> Logs)
{
    public static BuildKitTrace Decode(string base64)
    {
        var vertexes = new List<BuildVertex>();
        var logs = new List<BuildLog>();
        foreach (var (field, value) in Fields(Convert.FromBase64String(base64)))
        {
            if (field == 1 && value is byte[] vertex)
            {
                vertexes.Add(Vertex(vertex));
            }
            else if (field == 3 && value is byte[] log)
            {
                logs.Add(Log(log));
            }
        }
        return new BuildKitTrace(vertexes, logs);
    }

    private static BuildVertex Vertex(byte[] message)
    {
        string digest = "", name = "";
        string? error = null;
        bool started = false, completed = false, cached = false;
        foreach (var (field, value) in Fields(message))
        {
            switch (field, value)
            {
                case (1, byte[] b): digest = Encoding.UTF8.GetString(b); break;
                case (3, byte[] b): name = Encoding.UTF8.GetString(b); break;
                case (4, ulong v): cached = v != 0; break;
                case (5, byte[]): started = true; break;
                case (6, byte[]): completed = true; break;
                case (7, byte[] b): error = Encoding.UTF8.GetString(b); break;
            }
        }
        return new BuildVertex(digest, name, started, completed, cached, string.IsNullOrEmpty(error) ? null : error);
    }

    private static BuildLog Log(byte[] message)
    {
        string vertex = "";
        long stream = 0;
        byte[] msg = [];
        foreach (var (field, value) in Fields(message))
        {
            switch (field, value)
            {
                case (1, byte[] b): vertex = Encoding.UTF8.GetString(b); break;
                case (3, ulong v): stream = (long)v; break;
                case (4, byte[] b): msg = b; break;
            }
        }
        return new BuildLog(vertex, stream, msg);
    }

    /// <summary>The fields of one protobuf message: varints as ulong, length-delimited ones as bytes; fixed-width ones skipped.</summary>
    private static IEnumerable<(int Field, object Value)> Fields(byte[] message)
    {
        var at = 0;
        while (at < message.Length)
        {
            var key = Varint(message, ref at);
            var field = (int)(key >> 3);
            switch (key & 7)
            {
                case 0:
                    yield return (field, Varint(message, ref at));
                    break;
                case 1:
                    at += 8;
                    break;
                case 2:
                    var length = checked((int)Varint(message, ref at));
                    if (length < 0 || at + length > message.Length)
                    {
                        throw new FormatException($"a BuildKit status field {field} of {length} bytes runs past its message's {message.Length}");
                    }
                    yield return (field, message[at..(at + length)]);
                    at += length;
                    break;
                case 5:
                    at += 4;
                    break;
                default:
                    throw new FormatException($"a BuildKit status field {field} has wire type {key & 7}, which protobuf does not define");
            }
        }
    }

    private static ulong Varint(byte[] message, ref int at)
    {
        ulong value = 0;
        for (var shift = 0; shift < 64; shift += 7)
        {
            if (at >= message.Length)
            {
                throw new FormatException("a BuildKit status message ends inside a varint");
            }
            var b = message[at++];
            value |= (ulong)(b & 0x7f) << shift;
            if ((b & 0x80) == 0)
            {
                return value;
            }
        }
        throw new FormatException("a BuildKit status varint is longer than 64 bits");
    }
}
