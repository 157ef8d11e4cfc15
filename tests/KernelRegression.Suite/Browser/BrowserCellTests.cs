namespace KernelRegression.Suite.Browser;

/// <summary>
/// The matrix's browser cells, read as a student's screen: each UI generation shows 42 in the UI it
/// really is (classic notebook, JupyterLab, and the process tier's classic notebook; Notebook 7's cell runs without the browser, see matrix.yaml), with a
/// real screenshot per step in the cell's evidence; and what only the browser catches (the page's files
/// missing, the login cookie refused) fails the browser check with the cause named while the API checks
/// on the same cell pass. The cells themselves are judged in MatrixCellTests; these look inside.
/// </summary>
public sealed class BrowserCellTests(ProcessFixture process, DockerFixture docker)
{
    private static readonly byte[] PngSignature = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A];

    [Theory]
    [InlineData("process/hub-host/img-host/profile-host", "classic notebook 6.")]
    [InlineData("docker/hub-trixie/img-bookworm/profile-default", "classic notebook 6.4.12")]
    [InlineData("docker/hub-trixie/img-sid/profile-lab", "jupyterlab 4.")]
    public async Task AStudentSeesTheOutputInEachUiGeneration(string cellId, string ui)
    {
        var report = await ReportAsync(cellId);

        var browser = Check(report, "browser");
        browser.Verdict.Should().Be(Verdict.Passed, browser.Cause);
        Browser(report).Should().Contain($"ui: {ui}").And.Contain("output: 42");
        Screenshots(report).Should().HaveCountGreaterThanOrEqualTo(5);
        report.Result.Evidence.Steps.Select(s => s.Step).Should().Contain(["browser-login", "browser-spawn", "browser-ui-loaded", "browser-kernel-connected", "browser-first-output"]);
    }

    [Theory]
    [InlineData("docker/hub-trixie/img-bookworm/profile-default/scenario-frontend-files-missing", "kernel-connected", "static/notebook/js/main.min.js: 404")]
    [InlineData("docker/hub-trixie/img-bookworm/profile-default/scenario-login-cookie-refused", "login", "Domain=kr-cookie-mismatch.invalid")]
    public async Task WhatOnlyTheBrowserCatchesFailsTheBrowserCheckWhileTheApiChecksPass(string cellId, string step, string cause)
    {
        var report = await ReportAsync(cellId);

        report.Outcome.Should().Be(Outcome.ExpectedFailure, report.Judgement.Why);
        report.Result.Checks.Where(c => c.Check != "browser").Should().OnlyContain(c => c.Verdict == Verdict.Passed, "the REST API and kernels work");
        var browser = Check(report, "browser");
        browser.Verdict.Should().Be(Verdict.Failed);
        browser.Cause.Should().Contain(cause);
        Browser(report).Should().Contain($"failed step: {step}");
        Screenshots(report).Should().NotBeEmpty("the failure is shown as the student saw it");
    }

    private async Task<CellReport> ReportAsync(string cellId)
    {
        var matrix = cellId.StartsWith("process/", StringComparison.Ordinal) ? process.Matrix : docker.Matrix;
        var cell = matrix.Cells.SingleOrDefault(c => c.Id == cellId);
        if (cell is null)
        {
            Assert.Skip($"KR_CELLS='{Settings.Cells}' does not select {cellId}");
        }
        var report = await matrix.Run.Result(cell).WaitAsync(TestContext.Current.CancellationToken);
        if (Check(report, "browser").Verdict == Verdict.Skipped)
        {
            Assert.Skip(Check(report, "browser").Cause!);
        }
        TestContext.Current.AddAttachment("browser.txt", Browser(report));
        return report;
    }

    private static CheckOutcome Check(CellReport report, string name) => report.Result.Checks.Single(c => c.Check == name);

    private static string Browser(CellReport report) => EvidenceFiles.Of(report.Result.Evidence).Single(f => f.Name == "browser.txt").Text;

    /// <summary>The screenshots the cell's evidence carries, each a real PNG.</summary>
    private static List<Attachment> Screenshots(CellReport report)
    {
        var shots = report.Result.Evidence.Attachments.Where(a => a.FilePath?.EndsWith(".png", StringComparison.Ordinal) == true).ToList();
        foreach (var shot in shots)
        {
            File.ReadAllBytes(shot.FilePath!).Take(8).Should().Equal(PngSignature, $"{shot.Name} is a PNG");
        }
        return shots;
    }
}
