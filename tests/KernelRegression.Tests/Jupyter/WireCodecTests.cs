using System.Buffers.Binary;
using System.Text;
using System.Text.Json.Nodes;

namespace KernelRegression.Tests.Jupyter;

public sealed class WireCodecTests
{
    [Fact]
    public void V1FrameRoundTripsEveryPart()
    {
        var m = KernelMessage.Request("shell", "execute_request", "s1", new JsonObject { ["code"] = "1+1" });

        var decoded = WireCodec.DecodeV1(WireCodec.EncodeV1(m));

        decoded.Channel.Should().Be("shell");
        decoded.MsgId.Should().Be(m.MsgId);
        decoded.MsgType.Should().Be("execute_request");
        decoded.ContentString("code").Should().Be("1+1");
    }

    [Fact]
    public void V1FrameHasTheOffsetTableJupyterServerReads()
    {
        // jupyter_server: offset_number = u64 count; offsets[0] = start of channel; last offset = end of frame.
        var m = KernelMessage.Request("iopub", "status", "s", new JsonObject { ["execution_state"] = "idle" });

        var frame = WireCodec.EncodeV1(m);

        var count = (int)BinaryPrimitives.ReadUInt64LittleEndian(frame);
        count.Should().Be(6, "channel, header, parent_header, metadata, content, plus the end");
        var first = (int)BinaryPrimitives.ReadUInt64LittleEndian(frame.AsSpan(8));
        first.Should().Be(8 * (1 + count));
        Encoding.UTF8.GetString(frame, first, 5).Should().Be("iopub");
        ((int)BinaryPrimitives.ReadUInt64LittleEndian(frame.AsSpan(8 * count))).Should().Be(frame.Length);
    }

    [Fact]
    public void LegacyTextFrameDecodesWhateverWasNegotiated()
    {
        const string text = """{"channel":"iopub","header":{"msg_id":"a","msg_type":"status"},"parent_header":{"msg_id":"p"},"metadata":{},"content":{"execution_state":"busy"},"buffers":[]}""";

        var m = WireCodec.Decode(null, text);

        m.Channel.Should().Be("iopub");
        m.ParentMsgId.Should().Be("p");
        m.Summary().Should().Be("busy");
    }

    [Fact]
    public void LegacyJsonSentAsBinaryIsStillDecoded()
    {
        // Gateways have accepted v1 and then sent legacy frames (jupyter-server/jupyter_server#1310).
        var bytes = Encoding.UTF8.GetBytes("""{"channel":"shell","header":{"msg_type":"kernel_info_reply"},"parent_header":{},"metadata":{},"content":{}}""");

        WireCodec.Decode(bytes, null).MsgType.Should().Be("kernel_info_reply");
    }

    [Theory]
    [InlineData(new byte[] { 1, 2, 3 })]
    [InlineData(new byte[] { 200, 0, 0, 0, 0, 0, 0, 0, 8, 0, 0, 0, 0, 0, 0, 0 })]
    public void ACorruptV1FrameIsAFormatError(byte[] frame)
    {
        var act = () => WireCodec.DecodeV1(frame);

        act.Should().Throw<FormatException>();
    }
}
