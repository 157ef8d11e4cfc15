using System.Text;

namespace KernelRegression.Logs;

/// <summary>
/// Text that arrives in pieces (a file read, a stream write) becomes whole lines on a tail; a line
/// waits for its newline, and a CRLF ending loses its CR. Not thread-safe: its owner serialises.
/// </summary>
internal sealed class LineAssembler(LogTail tail)
{
    private readonly StringBuilder _partial = new();

    public void Append(ReadOnlySpan<char> text)
    {
        foreach (var c in text)
        {
            if (c == '\n')
            {
                tail.Append(_partial.ToString().TrimEnd('\r'));
                _partial.Clear();
            }
            else
            {
                _partial.Append(c);
            }
        }
    }
}
