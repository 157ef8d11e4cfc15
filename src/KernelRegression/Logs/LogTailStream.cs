using System.Text;

namespace KernelRegression.Logs;

/// <summary>A write-only stream that splits what is written into lines of a <see cref="LogTail"/> (for container output consumers).</summary>
public sealed class LogTailStream(LogTail tail) : Stream
{
    private readonly LineAssembler _lines = new(tail);
    private readonly Decoder _decoder = Encoding.UTF8.GetDecoder();
    private readonly Lock _gate = new();

    public override void Write(byte[] buffer, int offset, int count)
    {
        lock (_gate)
        {
            var chars = new char[_decoder.GetCharCount(buffer, offset, count)];
            _decoder.GetChars(buffer, offset, count, chars, 0);
            _lines.Append(chars);
        }
    }

    public override bool CanRead => false;
    public override bool CanSeek => false;
    public override bool CanWrite => true;
    public override long Length => throw new NotSupportedException();
    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }
    public override void Flush() { }
    public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
    public override void SetLength(long value) => throw new NotSupportedException();
}
