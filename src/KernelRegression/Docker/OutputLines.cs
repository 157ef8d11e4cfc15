using System.Text;

namespace KernelRegression.Docker;

/// <summary>
/// A container's output as it arrives in reads of any size, out as whole lines: UTF-8 characters split across
/// reads are kept whole, and "\n", "\r\n" or "\r" ends a line, as a TextReader (and so the docker command) reads them.
/// </summary>
internal sealed class OutputLines(Action<string> onLine)
{
    private readonly Decoder _utf8 = new UTF8Encoding(false).GetDecoder();
    private readonly StringBuilder _line = new();
    private char[] _chars = new char[16384];
    private bool _afterCr;

    public void Add(ReadOnlySpan<byte> bytes)
    {
        if (_chars.Length < bytes.Length + 4)
        {
            _chars = new char[bytes.Length + 4];
        }
        var n = _utf8.GetChars(bytes, _chars, flush: false);
        foreach (var ch in _chars.AsSpan(0, n))
        {
            if (ch == '\n' && _afterCr)
            {
                _afterCr = false;
                continue;
            }
            _afterCr = ch == '\r';
            if (ch is '\n' or '\r')
            {
                onLine(_line.ToString());
                _line.Clear();
            }
            else
            {
                _line.Append(ch);
            }
        }
    }

    /// <summary>The end of the output: a last line without its newline is a line too (a cut character is U+FFFD).</summary>
    public void Flush()
    {
        var n = _utf8.GetChars([], _chars, flush: true);
        _line.Append(_chars, 0, n);
        if (_line.Length > 0)
        {
            onLine(_line.ToString());
            _line.Clear();
        }
    }
}
