namespace KernelRegression.Checks;

/// <summary>
/// The kernel executes code: an expression's result, stdout and stderr streams, an error's name and
/// traceback, display_data, a stdlib import. A scenario's own cell (e.g. one that allocates too much)
/// runs first.
/// </summary>
public sealed class ExecutesCheck() : Check("executes", CheckNeeds.Kernel, destructive: false,
    "expression result, stdout and stderr streams, an error's ename and traceback, display_data, a stdlib import")
{
    public override async Task<string> RunAsync(CellSession session, CancellationToken ct)
    {
        var kernel = await session.KernelAsync(ct);
        var student = session.Student!;
        if (session.Scenario?.Setup.Cell is { } trigger)
        {
            var t = await KernelChecks.ExecutesAsync(student, kernel, trigger, ct, Deadline.Of(60));
            Expect.That(t.Status == "ok", $"the scenario's cell gave {t}");
        }
        var r = await KernelChecks.ExecutesAsync(student, kernel, "import sys, json\nprint('out'); print('err', file=sys.stderr)\njson.loads('[1, 2]')[1] + 40", ct);
        Expect.That(r.Status == "ok" && r.Result == "42" && r.Stdout == "out\n" && r.Stderr == "err\n", $"cell gave {r}");
        var e = await KernelChecks.ExecutesAsync(student, kernel, "1/0", ct, meantToFail: true);
        Expect.That(e.Error?.Name == "ZeroDivisionError" && e.Error.PlainTraceback.Contains("ZeroDivisionError", StringComparison.Ordinal), $"error cell gave {e}");
        var d = await KernelChecks.ExecutesAsync(student, kernel, "from IPython.display import display, Markdown\ndisplay(Markdown('*x*'))", ct);
        Expect.That(d.DisplayData.Count == 1 && d.DisplayData[0]["text/markdown"]?.ToString() == "*x*", $"display cell gave {d}");
        return $"round trip {r.Duration.TotalMilliseconds:0} ms";
    }
}
