namespace KernelRegression.Suite.Process;

/// <summary>Interrupt and restart, as a student presses the buttons.</summary>
public sealed class InterruptRestartTests(ProcessFixture tier) : StudentTest(tier.Hub)
{
    [Fact]
    public async Task InterruptStopsASleepingCellWithKeyboardInterrupt()
    {
        var (student, kernel) = await StudentWithKernelAsync();

        var e = await KernelChecks.InterruptsAsync(student, kernel, Ct);

        e.Interrupted.Status.Should().Be("error");
        e.Interrupted.Error!.Name.Should().Be("KeyboardInterrupt");
        e.InterruptToReply.Should().BeLessThan(TimeSpan.FromSeconds(5));
        e.After.Result.Should().Be("42");
    }

    [Fact]
    public async Task RestartForgetsStateAndAnswersAgain()
    {
        var (student, kernel) = await StudentWithKernelAsync();

        var e = await KernelChecks.RestartsAsync(student, kernel, Ct);

        e.Before.Result.Should().Be("'before-restart'");
        e.After.Error!.Name.Should().Be("NameError", "a restarted kernel has no old variables");
        e.StateAfterRestart.Should().NotBe("dead");
        kernel.Died.IsCompleted.Should().BeFalse("an intended restart is not a death");
    }
}
