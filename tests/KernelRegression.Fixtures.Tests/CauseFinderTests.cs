using KernelRegression.Fixtures.Evidence;

namespace KernelRegression.Fixtures.Tests;

public sealed class CauseFinderTests
{
    [Fact]
    public void APythonExceptionBeatsTheRestartersGenericLine()
    {
        var lines = new[]
        {
            "[I 22:01:02.000 NotebookApp] Kernel started: 1234",
            "Traceback (most recent call last):",
            "ModuleNotFoundError: No module named 'ipykernel'",
            "[W 22:01:05.000 NotebookApp] KernelRestarter: restarting kernel (1/5), new random ports",
        };

        CauseFinder.Find(lines).Should().Be("ModuleNotFoundError: No module named 'ipykernel'");
    }

    [Fact]
    public void TheIncidentsParentPollerLineIsNamedFirst()
    {
        var lines = new[] { "KeyError: 'x'", "[IPKernelApp] WARNING | Parent appears to have exited, shutting down." };

        CauseFinder.Find(lines).Should().Contain("Parent appears to have exited");
    }

    [Fact]
    public void AnsiColoursAreStripped() =>
        CauseFinder.Find(["\u001b[0;31mZeroDivisionError\u001b[0m: division by zero"]).Should().Be("ZeroDivisionError: division by zero");

    [Fact]
    public void NoExplanatoryLineGivesNull() =>
        CauseFinder.Find(["[I 10:00 ServerApp] Kernel started", "all good"]).Should().BeNull();
}
