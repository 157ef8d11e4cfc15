using KernelRegression.Jupyter;

namespace KernelRegression.Checks;

/// <summary>
/// Every kernelspec the server lists starts and answers: an image that ships an R or Julia kernel (or a
/// student's own kernelspec in ~/.local) is only as good as its worst kernel, and the notebook UI
/// offers them all.
/// </summary>
public sealed class KernelspecsCheck() : Check("kernelspecs", CheckNeeds.Server, destructive: false,
    "every kernelspec the server lists starts and answers kernel_info")
{
    public override async Task<string> RunAsync(CellSession session, CancellationToken ct)
    {
        var student = await session.ServerAsync(ct);
        var (_, names) = await student.Server.GetKernelSpecsAsync(ct);
        var answered = new List<string>();
        foreach (var name in names)
        {
            KernelConnection? kernel = null;
            try
            {
                kernel = await student.StartKernelAsync(ct, name);
                answered.Add($"{name} ({kernel.KernelInfo?.ContentString("implementation")})");
            }
            catch (KernelDiedException e)
            {
                throw new CheckFailedException($"kernelspec '{name}' does not start: {e.Cause}");
            }
            catch (DeadlineExceededException e)
            {
                throw new CheckFailedException($"kernelspec '{name}' did not answer kernel_info: {e.What.Split('\n')[0]}");
            }
            finally
            {
                if (kernel is not null)
                {
                    await student.Server.DeleteKernelAsync(kernel.KernelId, ct);
                    await kernel.DisposeAsync();
                }
            }
        }
        Expect.That(names.Count > 0, "the server lists no kernelspec at all");
        return $"{answered.Count} kernelspec(s) answered: {string.Join(", ", answered)}";
    }
}
