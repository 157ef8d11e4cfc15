using System.Text;
using KernelRegression.Tiers.Docker;
using KernelRegression.Docker;

namespace KernelRegression.Tests.Docker;

/// <summary>A container's output, arriving in reads cut anywhere, becomes the lines the container wrote.</summary>
public sealed class OutputLinesTests
{
    /// <summary>The lines OutputLines gives for these reads, in order, then the end of the output.</summary>
    private static List<string> LinesOf(IEnumerable<byte[]> reads)
    {
        var lines = new List<string>();
        var output = new OutputLines(lines.Add);
        foreach (var read in reads)
        {
            output.Add(read);
        }
        output.Flush();
        return lines;
    }

    [Fact]
    public void ReadsCutInsideACharacterAndBetweenCrAndLfGiveTheLinesAsWritten()
    {
        // Given output with a two-byte and a four-byte character, CRLF, a lone CR and no final newline
        var bytes = Encoding.UTF8.GetBytes("kernel café\r\n🐍 ready\rlast");

        // When it arrives one byte at a time, then the lines are as written
        LinesOf(bytes.Select(b => new[] { b })).Should().Equal("kernel café", "🐍 ready", "last");
    }

    [Fact]
    public void EmptyLinesAreKeptAndNothingIsSaidTwice()
    {
        LinesOf([Encoding.UTF8.GetBytes("a\n\nb\n")]).Should().Equal("a", "", "b");
    }

    [Fact]
    public void OutputThatEndsInsideACharacterEndsWithAReplacementCharacter()
    {
        var bytes = Encoding.UTF8.GetBytes("cut 🐍");

        LinesOf([bytes[..^2]]).Should().Equal("cut \uFFFD");
    }
}
