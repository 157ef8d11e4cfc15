using System.Text.Json;
using System.Text.RegularExpressions;
using static KernelRegression.Tests.Diagnosis.DiagnosisScenarios;

namespace KernelRegression.Tests.Reports;

public sealed partial class ReportTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("kr-report-tests-").FullName;

    private static readonly IReadOnlyList<CellReport> IncidentRun =
    [
        Report(Healthy), Report(DockerInit), Report(PatchedSameProfile),
        Report(PrePr233Default), Report(Incident, expectedToFail: true, reason: "server is PID 1 and the pre-#233 kernel polls its parent"),
        Report(OutOfMemory),
    ];

    public void Dispose()
    {
        if (Directory.Exists(_folder))
        {
            Directory.Delete(_folder, recursive: true);
        }
    }

    [Fact]
    public void TheGridHasImagesForRowsAndHubTimesProfileForColumns()
    {
        var grid = MatrixGrid.Of(IncidentRun);

        grid.Rows.Should().Equal("bookworm", "bookworm-pre-pr233");
        grid.Columns.Select(c => c.Rest).Should().Equal("default", "docker-init", "kubespawner-pr34-command", "small-memory");
        grid.HubSpans.Should().Equal([("hub trixie", 4)]);
        grid.At("bookworm-pre-pr233", grid.Columns[2])!.Result.CellId.Should().Be(Incident);
        grid.At("bookworm-pre-pr233", grid.Columns[1]).Should().BeNull();
    }

    [Fact]
    public void ACellWhoseChecksAllSkippedIsSkippedNotFailed()
    {
        var skipped = new CellReport(new CellResult(SyntheticCell.Cell("kind/hub-z2jh-4/img-sid/profile-default"), [CheckOutcome.Skip("kernel-starts", "kind tier: no docker engine")], CellEvidence.Empty));

        skipped.Outcome.Should().Be(Outcome.Skipped);
        skipped.OneLineCause.Should().Be("kind tier: no docker engine");
        RunReport.Summary([skipped]).Should().EndWith("1 skipped");
    }

    [Fact]
    public void TheMarkdownSummaryIsTheGridAndEachUnexpectedFailureWithItsTopThreeDifferences()
    {
        var md = RunReport.Write(_folder, "20261125-230000-abcdef", "docker", IncidentRun, TimeSpan.FromSeconds(312));

        md.Should().Contain("| image | hub trixie · default | hub trixie · docker-init | hub trixie · kubespawner-pr34-command | hub trixie · small-memory |");
        md.Should().Contain("| **bookworm-pre-pr233** | ✅ [passed](docker_hub-trixie_img-bookworm-pre-pr233_profile-default/) |  | ⚠️ [KernelRestarter");
        md.Should().Contain($"### ❌ `{OutOfMemory}` failed").And.Contain("Cause: kernel died: container exited 137 (OOMKilled)");
        md.Should().Contain("1. `container.oom_killed`: `true` vs `false`").And.Contain("3. `profile.mem_limit`: `64M` vs `1G`").And.NotContain("4. `");
        md.Should().Contain("## Expected failures (still caught)").And.Contain($"- `{Incident}`: KernelRestarter");
        md.Split('\n').Length.Should().BeLessThan(40, "a CI summary stays compact");
        File.ReadAllText(Path.Combine(_folder, "report.md")).Should().Be(md);
    }

    [Fact]
    public void TheHtmlReportIsOneSelfContainedFileWithAGridCellPerMatrixCell()
    {
        RunReport.Write(_folder, "20261125-230000-abcdef", "docker", IncidentRun, TimeSpan.FromSeconds(312));
        var html = File.ReadAllText(Path.Combine(_folder, "report.html"));

        GridCell().Matches(html).Should().HaveCount(IncidentRun.Count);
        html.Should().Contain($"<td class=\"cell failed\" data-cell-id=\"{OutOfMemory}\"");
        html.Should().Contain($"<td class=\"cell expected-failure\" data-cell-id=\"{Incident}\"");
        html.Should().NotContainAny("<script", "src=\"http", "href=\"http", "@import", "url(http");
        html.Should().Contain("<svg class=\"timings\"").And.Contain(">spawn</text>");
        html.Should().Contain("proc.kernel.ppid").And.Contain("1 (PID 1)");
    }

    [Fact]
    public void EveryEvidenceLinkInTheHtmlReportPointsAtAWrittenFileOrFolder()
    {
        RunReport.Write(_folder, "r", "docker", IncidentRun, TimeSpan.FromSeconds(1));
        var html = File.ReadAllText(Path.Combine(_folder, "report.html"));

        var links = Href().Matches(html).Select(m => Uri.UnescapeDataString(m.Groups[1].Value)).Distinct().ToList();

        links.Should().Contain(RunReport.Safe(OutOfMemory) + "/diagnosis.txt");
        links.Should().AllSatisfy(l => (File.Exists(Path.Combine(_folder, l)) || Directory.Exists(Path.Combine(_folder, l))).Should().BeTrue(l));
        File.ReadAllText(Path.Combine(_folder, RunReport.Safe(OutOfMemory), "diagnosis.txt")).Should().Contain("1. [outcome] container.oom_killed: true vs false");
    }

    [Fact]
    public void TheJsonReportCarriesEachFailedCellsDiagnosis()
    {
        RunReport.Write(_folder, "r", "docker", IncidentRun, TimeSpan.FromSeconds(1));

        using var json = JsonDocument.Parse(File.ReadAllText(Path.Combine(_folder, "report.json")));
        var cell = json.RootElement.GetProperty("cells").EnumerateArray().Single(c => c.GetProperty("id").GetString() == Incident);

        cell.GetProperty("outcome").GetString().Should().Be("expected-failure");
        cell.GetProperty("diagnosis").GetProperty("comparedWith").GetString().Should().Be(PatchedSameProfile);
        cell.GetProperty("diagnosis").GetProperty("items")[0].GetProperty("Key").GetString().Should().Be("versions.kernel_patch");
    }

    [Fact]
    public void NoWrittenFileContainsARegisteredSecret()
    {
        // Given a secret that leaked into every kind of evidence a cell carries
        var secret = Secrets.Register("kr-token-" + Guid.NewGuid().ToString("N"));
        var oom = Cell(OutOfMemory);
        var leaky = oom with
        {
            Cell = oom.Cell with { Expected = new Expectation(false, $"reason {secret}", null, "") },
            Checks = [CheckOutcome.Fail("kernel-starts", TimeSpan.FromSeconds(1), $"403 for token {secret}", $"Authorization: token {secret}")],
            Evidence = oom.Evidence with
            {
                Server = oom.Evidence.Server with
                {
                    Environment = new Dictionary<string, string>(oom.Evidence.Server.Environment) { ["JUPYTERHUB_API_TOKEN"] = secret, ["KR_COOKIE"] = $"<{secret}&>", ["JPY_API_TOKEN"] = secret },
                },
                ServerLog = [$"[E 2026-11-25 23:05:40.000 SingleUserNotebookApp auth:1] 403 token {secret} refused", $"Token: {secret}"],
                HubLog = [$"JUPYTERHUB_API_TOKEN={secret}"],
                Timeline = [new KernelRegression.Jupyter.TimelineEntry(TimeSpan.FromMilliseconds(12), "→", "shell", "execute_request", "m", null, $"print('{secret}')")],
            },
        };
        var cells = IncidentRun.Select(c => c.Result.CellId == OutOfMemory ? new CellReport(leaky) : c).ToList();

        // When
        RunReport.Write(_folder, "20261125-230000-abcdef", "docker", cells, TimeSpan.FromSeconds(5));

        // Then every file is redacted, and the redaction is visible where the secret was
        var files = Directory.EnumerateFiles(_folder, "*", SearchOption.AllDirectories).ToList();
        files.Select(Path.GetFileName).Should().Contain(["report.md", "report.html", "report.json", "facts.txt", "server-log.txt", "environment.txt", "timeline.txt", "hub-log.txt", "diagnosis.txt"]);
        foreach (var file in files)
        {
            File.ReadAllText(file).Should().NotContain(secret, $"{file} must be redacted");
        }
        File.ReadAllText(Path.Combine(_folder, RunReport.Safe(OutOfMemory), "server-log.txt")).Should().Contain(Secrets.Mask);
        File.ReadAllText(Path.Combine(_folder, "report.html")).Should().Contain("403 for token [redacted]");
    }

    [GeneratedRegex("<td class=\"cell [a-z-]+\" data-cell-id=")]
    private static partial Regex GridCell();

    [GeneratedRegex("href=\"([^\"#][^\"]*)\"")]
    private static partial Regex Href();
}
