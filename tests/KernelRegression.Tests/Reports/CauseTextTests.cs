namespace KernelRegression.Tests.Reports;

/// <summary>
/// A cause as the grid shows it: its classified words first, the log prefixes that hid them gone, cut at a word but
/// never through the words the expectation looks for. The old grid cut causes at 140 (HTML) and 80 (Markdown)
/// characters with their prefixes, so "out of memory" was lost behind "[W 2026-11-26 00:26:13.859 JupyterHub …]".
/// </summary>
public sealed class CauseTextTests
{
    // The memory-limit-too-small cell's cause as the 2026-11-26 report showed it (the container's id shortened).
    private const string OutOfMemory = "out of memory: [W 2026-11-26 00:26:13.859 JupyterHub kr_container_spawner:218] Container kr-20261126-002405-dbcc07-student-1b611f76 (e4f5d6c0a1b2) exited with status 137 after 2.1 s (OOMKilled: true): the server was killed";

    [Fact]
    public void LogPrefixesAreStripped()
    {
        CauseText.Readable(OutOfMemory).Should().StartWith("out of memory: Container kr-20261126").And.NotContain("[W 2026").And.NotContain("kr_container_spawner:218");
        CauseText.Readable("KernelRestarter: [I 251126 00:26:51 restarter:136] restarting kernel (1/5)").Should().Be("KernelRestarter: restarting kernel (1/5)");
    }

    [Fact]
    public void AShortCauseIsItsReadableSelf() =>
        CauseText.Clipped("ModuleNotFoundError: No module named 'ipykernel'", "No module named", 80).Should().Be("ModuleNotFoundError: No module named 'ipykernel'");

    [Fact]
    public void ALongCauseIsCutAtAWordWithAnEllipsis()
    {
        var clipped = CauseText.Clipped(OutOfMemory, "out of memory", 80);

        clipped.Length.Should().BeLessThanOrEqualTo(80);
        clipped.Should().StartWith("out of memory: Container").And.EndWith("…");
        clipped[..^1].Should().NotEndWith(" ");
        OutOfMemory.Replace("[W 2026-11-26 00:26:13.859 JupyterHub kr_container_spawner:218] ", "", StringComparison.Ordinal).Should().StartWith(clipped[..^1], "cut at a word, not inside one");
    }

    [Fact]
    public void TheExpectedWordsAreNeverCut()
    {
        // A cause whose key words come late: the old clip at 80 ended before "Permission denied".
        const string cause = "[E 2026-11-26 00:27:02.113 JupyterHub spawner:1254] Unhandled error starting student-3c4d5e6f's server: Traceback (most recent call last): PermissionError: [Errno 13] Permission denied: '/home/jovyan/.local'";

        var clipped = CauseText.Clipped(cause, "Permission denied", 80);

        clipped.Should().Contain("Permission denied").And.StartWith("Unhandled error starting").And.Contain(" … ");
        clipped.Length.Should().BeLessThanOrEqualTo(84);
        ReportText.Clip(cause, 80).Should().NotContain("Permission denied", "what the old grid showed");
    }
}
