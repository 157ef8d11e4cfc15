using KernelRegression.Browser;
using KernelRegression.Jupyter;
using KernelRegression.Matrix;
using KernelRegression.Tiers;
using KernelRegression.Students;

namespace KernelRegression.Checks;

/// <summary>
/// One cell's student and kernel, made once and shared by its checks in order: the server is spawned
/// by the first check that needs it, the kernel started by the first that needs one. A setup that
/// failed is not tried again: later checks that need it are not attempted, and say so.
/// </summary>
public sealed class CellSession : IAsyncDisposable
{
    private readonly List<Attachment> _attachments = [];
    private readonly StepTimings _steps = new();
    private Task<Student>? _server;
    private Task<KernelConnection>? _kernel;

    public CellSession(CellDeployment deployment, CheckOptions options)
    {
        Cell = deployment;
        Options = options;
    }

    public CellDeployment Cell { get; }
    public IHubDeployment Deployment => Cell.Hub;
    public Scenario? Scenario => Cell.Scenario;
    public CheckOptions Options { get; }
    public string KernelName => Scenario?.Setup.Kernel ?? "python3";

    /// <summary>The student, once created (even when the spawn failed: evidence is still collected about them).</summary>
    public Student? Student { get; private set; }

    /// <summary>The kernel, once it answered.</summary>
    public KernelConnection? Kernel => _kernel is { IsCompletedSuccessfully: true } k ? k.Result : null;

    /// <summary>What a setup failure was, for the checks it keeps from running.</summary>
    public string? SetupFailed { get; private set; }

    public IReadOnlyList<Attachment> Attachments => [.. _attachments];

    /// <summary>The browser student's run, where the cell ran the browser check (browser.txt of its evidence).</summary>
    public BrowserRun? Browser { get; set; }

    /// <summary>Steps a check timed itself (the browser's), beside the student's.</summary>
    public IReadOnlyList<StepTiming> Steps => [.. Student?.Timings.Steps ?? [], .. _steps.Steps];

    public void Record(string step, TimeSpan duration) => _steps.Record(step, duration);

    /// <summary>A file or text a check leaves for the report (a screenshot, a page's console log).</summary>
    public void Attach(Attachment attachment)
    {
        lock (_attachments)
        {
            _attachments.Add(attachment);
        }
    }

    public Task<Student> ServerAsync(CancellationToken ct) => _server ??= SetUp("the server did not start", SpawnAsync(ct));

    public Task<KernelConnection> KernelAsync(CancellationToken ct) => _kernel ??= SetUp("the kernel did not start", StartKernelAsync(ct));

    private async Task<Student> SpawnAsync(CancellationToken ct)
    {
        // Created before the spawn, so a spawn that fails still leaves a student to collect evidence about.
        Student = Student.Create(Deployment, userOptions: Cell.UserOptions);
        await Student.SpawnServerAsync(ct);
        await LeaveFilesAsync(Student, ct);
        return Student;
    }

    private async Task<KernelConnection> StartKernelAsync(CancellationToken ct)
    {
        var student = await ServerAsync(ct);
        return await student.StartKernelAsync(ct, KernelName);
    }

    /// <summary>Files a scenario leaves in the home before the kernel starts (a student's earlier session).</summary>
    private async Task LeaveFilesAsync(Student student, CancellationToken ct)
    {
        var files = Scenario?.UserFiles().ToList() ?? [];
        if (files.Count == 0)
        {
            return;
        }
        var home = Deployment.Get<IHomeFiles>()
            ?? throw new FaultNotSupportedException("write into a user's home", Deployment.Tier, Deployment.WhyNot<IHomeFiles>());
        foreach (var (path, content) in files)
        {
            await home.WriteUserFileAsync(student.Name, path, content, ct);
        }
    }

    private async Task<T> SetUp<T>(string what, Task<T> setup)
    {
        try
        {
            return await setup;
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            SetupFailed ??= what;
            throw;
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (Student is not null)
        {
            await Student.DisposeAsync();
        }
    }
}
