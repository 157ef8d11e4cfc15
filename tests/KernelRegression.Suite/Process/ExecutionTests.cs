namespace KernelRegression.Suite.Process;

/// <summary>It executes code: every kind of output a cell can produce comes back, correlated to its request.</summary>
public sealed class ExecutionTests(ProcessFixture tier) : StudentTest(tier.Hub)
{
    /// <summary>Runs <paramref name="code"/> as the first cell of a new student's kernel, through the execute check.</summary>
    private async Task<(Student Student, ExecutionResult Result)> ExecuteInNewKernelAsync(string code)
    {
        var (student, kernel) = await StudentWithKernelAsync();
        return (student, await KernelChecks.ExecutesAsync(student, kernel, code, Ct));
    }

    [Fact]
    public async Task ExpressionReturnsItsResult()
    {
        var (student, r) = await ExecuteInNewKernelAsync("1+1");

        r.Status.Should().Be("ok");
        r.Result.Should().Be("2");
        r.ExecutionCount.Should().Be(1);
        student.Timings["execute"].Should().NotBeNull();
    }

    [Fact]
    public async Task StdoutAndStderrArriveAsStreams()
    {
        var (_, r) = await ExecuteInNewKernelAsync("import sys\nprint('to stdout')\nprint('to stderr', file=sys.stderr)");

        r.Stdout.Should().Be("to stdout\n");
        r.Stderr.Should().Be("to stderr\n");
        r.Result.Should().BeNull();
    }

    [Fact]
    public async Task ARaisingCellReportsEnameAndTraceback()
    {
        var (_, r) = await ExecuteInNewKernelAsync("def f():\n    return 1/0\nf()");

        r.Status.Should().Be("error", "a cell that raises still ends idle: the reply status is what says it failed");
        r.Error!.Name.Should().Be("ZeroDivisionError");
        r.Error.Value.Should().Contain("division by zero");
        r.Error.PlainTraceback.Should().Contain("----> 3 f()");
    }

    /// <summary>
    /// The mechanism behind a false alarm seen once in a 20-run repeat (a cell sent right after `1/0` came
    /// back "aborted"): an error aborts what is queued behind it unless the request says stop_on_error=false.
    /// </summary>
    [Fact]
    public async Task AnErrorAbortsTheQueuedCellUnlessTheFailingCellSaysNotTo()
    {
        var (_, kernel) = await StudentWithKernelAsync();
        const string Failing = "import time\ntime.sleep(0.5)\n1/0"; // the next request is surely queued by then

        var stopping = kernel.ExecuteAsync(Failing, Deadline.Of(30), Ct);
        var behindStopping = kernel.ExecuteAsync("'run'", Deadline.Of(30), Ct);
        await stopping;
        var aborted = await behindStopping;
        var tolerant = kernel.ExecuteAsync(Failing, Deadline.Of(30), Ct, stopOnError: false);
        var behindTolerant = kernel.ExecuteAsync("'run'", Deadline.Of(30), Ct);
        await tolerant;
        var ran = await behindTolerant;

        aborted.Status.Should().Be("aborted");
        ran.Status.Should().Be("ok");
        ran.Result.Should().Be("'run'");
    }

    [Fact]
    public async Task DisplayDataCarriesItsMimeBundle()
    {
        var (_, r) = await ExecuteInNewKernelAsync("from IPython.display import display, HTML\ndisplay(HTML('<b>bold</b>'))");

        r.DisplayData.Should().ContainSingle();
        r.DisplayData[0]["text/html"]!.ToString().Should().Be("<b>bold</b>");
    }

    [Fact]
    public async Task StandardLibraryImportsWork()
    {
        var (_, r) = await ExecuteInNewKernelAsync("import json, sqlite3, decimal, collections\njson.dumps(collections.Counter('aab').most_common(1))");

        r.Status.Should().Be("ok");
        r.Result.Should().Be("'[[\"a\", 2]]'");
    }
}
