namespace KernelRegression.Suite;

/// <summary>
/// A test that acts as one student on a deployment. Attaches the student's step timings and every
/// kernel timeline to the test result, so a failure carries its own evidence.
/// </summary>
public abstract class StudentTest(IHubDeployment deployment) : IAsyncDisposable
{
    private readonly List<KernelConnection> _kernels = [];
    private Student? _student;

    protected IHubDeployment Deployment { get; } = deployment;
    protected static CancellationToken Ct => TestContext.Current.CancellationToken;

    protected async Task<Student> SpawnStudentAsync(string serverName = "")
    {
        _student = await Student.SpawnAsync(Deployment, Ct, serverName: serverName);
        return _student;
    }

    protected async Task<(Student Student, KernelConnection Kernel)> StudentWithKernelAsync(string kernelName = "python3")
    {
        var student = await SpawnStudentAsync();
        var (kernel, _) = await KernelChecks.StartsAsync(student, Ct, kernelName);
        return (student, Track(kernel));
    }

    /// <summary>The broken-kernelspec scenario's kernelspec (kr-crash), left in the student's home as a student's own kernelspec.</summary>
    protected async Task LeaveBrokenKernelspecAsync(Student student)
    {
        var home = Deployment.Get<IHomeFiles>() ?? throw new InvalidOperationException(Deployment.WhyNot<IHomeFiles>());
        foreach (var (path, content) in KernelRegression.Matrix.Scenario.Load("broken-kernelspec").UserFiles())
        {
            await home.WriteUserFileAsync(student.Name, path, content, Ct);
        }
    }

    protected KernelConnection Track(KernelConnection kernel)
    {
        _kernels.Add(kernel);
        return kernel;
    }

    public async ValueTask DisposeAsync()
    {
        if (_student is not null)
        {
            TestContext.Current.AddAttachment("timings", _student.Timings.ToString());
            await _student.DisposeAsync();
        }
        foreach (var (k, i) in _kernels.Select((k, i) => (k, i)))
        {
            TestContext.Current.AddAttachment($"kernel-{i}-timeline", string.Join('\n', k.Timeline.Entries));
        }
        GC.SuppressFinalize(this);
    }
}
