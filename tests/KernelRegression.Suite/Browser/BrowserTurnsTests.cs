using KernelRegression.Browser;

namespace KernelRegression.Suite.Browser;

/// <summary>
/// The students of different cells take turns with the browser: started together against a stand-in hub
/// whose home page answers after 1.5 s, their page loads never overlap beyond the turns this machine gives
/// (one per two cores), and the ones that waited say so.
/// </summary>
public sealed class BrowserTurnsTests(BrowserHost browser)
{
    [Fact]
    [RequiresTier(typeof(BrowserProbe))]
    public async Task StudentsOfDifferentCellsTakeTurnsWithTheBrowser()
    {
        var turns = Math.Max(1, Environment.ProcessorCount / 2);
        int loading = 0, most = 0;
        await using var hub = new LocalHttpServer(async (context, ct) =>
        {
            if (context.Request.Url!.AbsolutePath == "/hub/home")
            {
                var now = Interlocked.Increment(ref loading);
                InterlockedMax(ref most, now);
                await Task.Delay(1500, ct);
                Interlocked.Decrement(ref loading);
            }
            context.Response.StatusCode = 404;
            context.Response.Close();
        });

        var runs = await Task.WhenAll(Enumerable.Range(0, turns + 1).Select(i =>
            BrowserStudent.RunAsync(hub.Url, $"turn{i}", "not-a-secret", browser.OptionsFor($"turn{i}"), TestContext.Current.CancellationToken)));

        runs.Should().OnlyContain(r => r.FailedStep == BrowserStudent.Login && r.Cause!.Contains("404"), "the stand-in hub has no login page");
        most.Should().BeInRange(1, turns, "a student waits for a turn before its browser starts");
        runs.Should().Contain(r => r.WaitedForTurn >= TimeSpan.FromSeconds(1));
        runs.Single(r => r.WaitedForTurn == runs.Max(x => x.WaitedForTurn)).Render().Should().Contain("waited for its turn:");
    }

    private static void InterlockedMax(ref int target, int value)
    {
        for (var seen = Volatile.Read(ref target); value > seen; seen = Volatile.Read(ref target))
        {
            if (Interlocked.CompareExchange(ref target, value, seen) == seen)
            {
                return;
            }
        }
    }
}
