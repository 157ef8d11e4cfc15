using System.Text;
using KernelRegression.Tiers.Docker;
using KernelRegression.Docker;

namespace KernelRegression.Tests.Docker;

/// <summary>A container's output, arriving in reads cut anywhere, becomes the lines the container wrote.</summary>
public sealed class OutputLinesTests
{
    [Fact]
    public void ReadsCutInsideACharacterAndBetweenCrAndLfGiveTheLinesAsWritten()
    {
        // Given output with a two-byte and a four-byte character, CRLF, a lone CR and no final newline
        var bytes = Encoding.UTF8.GetBytes("kernel café\r\n🐍 ready\rlast");
        var lines = new List<string>();
        var output = new OutputLines(lines.Add);

        // When it arrives one byte at a time
        foreach (var b in bytes)
        {
            output.Add([b]);
        }
        output.Flush();

        // Then
        lines.Should().Equal("kernel café", "🐍 ready", "last");
    }

    [Fact]
    public void EmptyLinesAreKeptAndNothingIsSaidTwice()
    {
        var lines = new List<string>();
        var output = new OutputLines(lines.Add);

        output.Add(Encoding.UTF8.GetBytes("a\n\nb\n"));
        output.Flush();

        lines.Should().Equal("a", "", "b");
    }

    [Fact]
    public void OutputThatEndsInsideACharacterEndsWithAReplacementCharacter()
    {
        var lines = new List<string>();
        var output = new OutputLines(lines.Add);

        var bytes = Encoding.UTF8.GetBytes("cut 🐍");
        output.Add(bytes.AsSpan(0, bytes.Length - 2));
        output.Flush();

        lines.Should().Equal("cut \uFFFD");
    }
}
