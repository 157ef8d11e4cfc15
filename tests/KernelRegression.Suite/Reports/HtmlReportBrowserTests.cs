using System.Diagnostics;
using System.Text.RegularExpressions;

namespace KernelRegression.Suite.Reports;

/// <summary>
/// The HTML report as a reader sees it: rendered by a real headless browser (Debian's chromium),
/// with the DOM it builds and a screenshot. Without chromium the test skips with the reason,
/// unless KR_REQUIRE_TIER names browser (CI), in which case it fails. (docs/report.png, the README's picture, is
/// shot from a real run's report by eng/report-screenshot, not from this synthetic one.)
/// </summary>
public sealed partial class HtmlReportBrowserTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("kr-browser-tests-").FullName;

    public void Dispose()
    {
        if (Directory.Exists(_folder))
        {
            Directory.Delete(_folder, recursive: true);
        }
    }

    /// <summary>
    /// Writes the run's report and, beside it, a copy (report-probe.html) that runs <paramref name="script"/> in the
    /// browser to write what it measured into the DOM; returns the copy's path.
    /// </summary>
    private string WriteReportWithProbe(IReadOnlyList<CellReport> cells, string script)
    {
        RunReport.Write(_folder, SyntheticRun.Id, "docker", cells, TimeSpan.FromSeconds(287));
        var probe = Path.Combine(_folder, "report-probe.html");
        File.WriteAllText(probe, File.ReadAllText(Path.Combine(_folder, "report.html")).Replace("</body>", $"<script>{script}</script></body>", StringComparison.Ordinal));
        return probe;
    }

    [Fact]
    [RequiresTier(typeof(BrowserProbe))]
    public async Task TheRenderedReportHasOneGridCellPerMatrixCellAndTheFailingCellLinksToItsEvidence()
    {
        // Given a report of a ten-cell run with one failure and one expected failure
        var chromium = Chromium.Find();
        var cells = SyntheticRun.Cells();
        // A probe that writes each grid cell's computed colour into the DOM: the report itself
        // carries no script, and the colour is what the CSS really rendered to.
        var probe = WriteReportWithProbe(cells,
            "document.querySelectorAll('td.cell').forEach(td => td.setAttribute('data-rendered-bg', getComputedStyle(td).backgroundColor));");

        // When
        var dom = await chromium.DumpDomAsync(probe, TestContext.Current.CancellationToken);

        // Then
        var gridCells = GridCell().Matches(dom).Select(m => m.Value).ToList();
        gridCells.Should().HaveCount(cells.Count, "one grid cell per matrix cell");
        Attribute(gridCells, "data-cell-id").Should().BeEquivalentTo(cells.Select(c => c.Result.CellId));

        var failing = gridCells.Single(t => t.Contains($"data-cell-id=\"{SyntheticRun.Failing}\"", StringComparison.Ordinal));
        failing.Should().Contain("class=\"cell failed\"").And.Contain("data-rendered-bg=\"rgb(248, 208, 204)\"", $"failed cells render {ReportStyle.FailedBackground}");
        gridCells.Single(t => t.Contains($"data-cell-id=\"{SyntheticRun.Incident}\"", StringComparison.Ordinal))
            .Should().Contain("class=\"cell expected-failure\"").And.NotContain("rgb(248, 208, 204)");

        var folder = EvidenceLink(dom, SyntheticRun.Failing);
        folder.Should().Be(RunReport.Safe(SyntheticRun.Failing) + "/");
        Directory.Exists(Path.Combine(_folder, folder)).Should().BeTrue();
        File.ReadAllText(Path.Combine(_folder, folder, "server-log.txt")).Should().Contain("ModuleNotFoundError: No module named 'ipykernel'");
        dom.Should().Contain($"href=\"{folder}diagnosis.txt\"");
        File.Exists(Path.Combine(_folder, folder, "diagnosis.txt")).Should().BeTrue();
        dom.Should().Contain("<svg class=\"timings\"");
    }

    [Fact]
    [RequiresTier(typeof(BrowserProbe))]
    public async Task ABrowserCellsScreenshotsAreShownInTheReport()
    {
        // Given the failing cell carrying a browser screenshot (a real PNG, 1×1) as the browser check leaves it
        var chromium = Chromium.Find();
        var png = Path.Combine(_folder, "shot.png");
        File.WriteAllBytes(png, Convert.FromBase64String("iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8DwHwAFBQIAX8jx0gAAAABJRU5ErkJggg=="));
        var cells = SyntheticRun.Cells().Select(c => c.Result.CellId != SyntheticRun.Failing ? c : new CellReport(c.Result with
        {
            Evidence = c.Result.Evidence with { Attachments = [new Tiers.Attachment("browser-failure.png", FilePath: png)] },
        })).ToList();
        var probe = WriteReportWithProbe(cells,
            "window.addEventListener('load', () => document.querySelectorAll('.screenshots img').forEach(i => i.setAttribute('data-natural-width', i.naturalWidth)));");

        // When
        var dom = await chromium.DumpDomAsync(probe, TestContext.Current.CancellationToken);

        // Then the image is in the failing cell's card, copied into its evidence folder, and loaded
        var src = $"{Uri.EscapeDataString(RunReport.Safe(SyntheticRun.Failing))}/browser-failure.png";
        dom.Should().Contain($"src=\"{src}\"");
        File.Exists(Path.Combine(_folder, RunReport.Safe(SyntheticRun.Failing), "browser-failure.png")).Should().BeTrue();
        dom.Should().Contain("data-natural-width=\"1\"", "the screenshot loaded in the browser");
    }

    [Fact]
    [RequiresTier(typeof(BrowserProbe))]
    public async Task TheReportRendersToAReadableScreenshot()
    {
        // Given
        var chromium = Chromium.Find();
        RunReport.Write(_folder, SyntheticRun.Id, "docker", SyntheticRun.Cells(), TimeSpan.FromSeconds(287));
        var png = Path.Combine(_folder, "report.png");

        // When
        await chromium.ScreenshotAsync(Path.Combine(_folder, "report.html"), png, TestContext.Current.CancellationToken);

        // Then a real PNG, big enough to hold more than a blank page
        var bytes = await File.ReadAllBytesAsync(png, TestContext.Current.CancellationToken);
        bytes.Take(8).Should().Equal(0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A);
        bytes.Length.Should().BeGreaterThan(30_000);
        TestContext.Current.AddAttachment("report.png", bytes, "image/png");
    }

    private static IEnumerable<string> Attribute(IEnumerable<string> tags, string name) =>
        tags.Select(t => Regex.Match(t, name + "=\"([^\"]*)\"").Groups[1].Value.Replace("&amp;", "&", StringComparison.Ordinal));

    private static string EvidenceLink(string dom, string cellId)
    {
        var td = Regex.Match(dom, $"<td class=\"cell [^\"]*\" data-cell-id=\"{Regex.Escape(cellId)}\"[^>]*>\\s*<a class=\"evidence\" href=\"([^\"]+)\"");
        td.Success.Should().BeTrue($"the grid cell of {cellId} links to its evidence");
        return Uri.UnescapeDataString(td.Groups[1].Value);
    }

    [GeneratedRegex("<td class=\"cell [^\"]*\"[^>]*>")]
    private static partial Regex GridCell();

    /// <summary>Debian's chromium, headless, with a fresh profile per call and nothing phoning home.</summary>
    private sealed class Chromium(string path)
    {
        private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(60 * Timeouts.Scale);

        /// <summary>KR_CHROMIUM's Chromium; the tests that use it carry [RequiresTier(typeof(BrowserProbe))].</summary>
        public static Chromium Find() => new(Settings.Chromium);

        public async Task<string> DumpDomAsync(string file, CancellationToken ct) =>
            await RunAsync(["--dump-dom", new Uri(file).AbsoluteUri], ct);

        public async Task ScreenshotAsync(string file, string png, CancellationToken ct)
        {
            await RunAsync([$"--screenshot={png}", "--window-size=1400,1000", "--hide-scrollbars", new Uri(file).AbsoluteUri], ct);
            File.Exists(png).Should().BeTrue($"chromium wrote no screenshot to {png}");
        }

        private async Task<string> RunAsync(IEnumerable<string> args, CancellationToken ct)
        {
            var profile = Directory.CreateTempSubdirectory("kr-chromium-");
            try
            {
                var start = new ProcessStartInfo(path);
                foreach (var a in (string[])["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                             "--disable-background-networking", "--disable-component-update", "--disable-sync", $"--user-data-dir={profile.FullName}", .. args])
                {
                    start.ArgumentList.Add(a);
                }
                var (exitCode, output, stderr) = await ChildProcess.RunAsync(start, Deadline, ct,
                    overrun: soFar => new TimeoutException($"chromium did not finish within {Deadline.TotalSeconds:0} s; stderr so far: {Tail(soFar)}"));
                exitCode.Should().Be(0, $"chromium failed: {Tail(stderr)}");
                return output;
            }
            finally
            {
                profile.Delete(recursive: true);
            }
        }

        private static string Tail(string s) => s.Length > 2000 ? s[^2000..] : s;
    }

    /// <summary>Multiplies deadlines on slow machines, as everywhere else in the suite (KR_TIMEOUT_SCALE).</summary>
    private static class Timeouts
    {
        public static double Scale => Settings.TimeoutScale;
    }

    /// <summary>
    /// A docker-tier run shaped like the default matrix's: three hubs, four images, the incident's
    /// three launch profiles, one cell broken (sid's kernel cannot import ipykernel) and the
    /// incident cell failing as expected. Facts, logs and timings are the shape tiers record.
    /// </summary>
    private static class SyntheticRun
    {
        public const string Id = "20261126-091512-7c41d2";
        public const string Failing = "docker/hub-trixie/img-sid/profile-default";
        public const string Incident = "docker/hub-trixie/img-bookworm-pre-pr233/profile-kubespawner-pr34-command";

        public static IReadOnlyList<CellReport> Cells() =>
        [
            Pass("bookworm", "bookworm", "default", 0),
            Pass("trixie", "bookworm", "default", 1),
            Pass("trixie", "bookworm", "kubespawner-pr34-command", 2),
            Pass("trixie", "bookworm", "docker-init", 3),
            Pass("trixie", "bookworm-pre-pr233", "default", 4),
            IncidentCell(),
            Pass("trixie", "bookworm-pre-pr233", "docker-init", 5),
            Pass("trixie", "trixie", "default", 6),
            Broken(),
            Pass("sid", "trixie", "default", 7),
        ];

        private const string IncidentCause = "kernel died at start while the server, its parent, is PID 1 (`jupyterhub-singleuser --ip=0.0.0.0`): the kernel process exited 0.6 s after start without an error of its own (3 time(s) seen)";

        private static CellReport Pass(string hub, string image, string profile, int seed) =>
            new(SyntheticCell.Result($"docker/hub-{hub}/img-{image}/profile-{profile}",
                [.. CheckCatalog.Standard.Take(6).Select((c, i) => CheckOutcome.Pass(c, TimeSpan.FromMilliseconds(Checks[i] + seed * 37)))],
                Timings(seed), Facts(hub, image, profile, seed), HealthyLog(seed)));

        private static CellReport IncidentCell() =>
            new(SyntheticCell.Result(Incident, [CheckOutcome.Fail("kernel-starts", TimeSpan.FromSeconds(3.3), IncidentCause),
                    .. CheckCatalog.Standard.Skip(1).Take(5).Select(c => CheckOutcome.NotAttempted(c, $"not attempted: kernel-starts failed ({IncidentCause})"))],
                [.. Timings(8).Take(4)], Facts("trixie", "bookworm-pre-pr233", "kubespawner-pr34-command", 8), HealthyLog(8) +
                    "\n[W 2026-11-26 09:16:44.118 SingleUserNotebookApp restarter:130] KernelRestarter: restarting kernel (1/5), new random ports",
                new KernelRegression.Matrix.Expectation(true, "server is PID 1 (spawner cmd as the pod's command) and the kernel's parent poller exits when getppid() == 1",
                    "https://github.com/ipython/ipykernel/pull/233", "while the server, its parent, is PID 1")));

        private static CellReport Broken() =>
            new(SyntheticCell.Result(Failing, [CheckOutcome.Fail("kernel-starts", TimeSpan.FromSeconds(3.4), "ModuleNotFoundError: No module named 'ipykernel'"),
                    .. CheckCatalog.Standard.Skip(1).Take(5).Select(c => CheckOutcome.NotAttempted(c, "not attempted: kernel-starts failed (ModuleNotFoundError: No module named 'ipykernel')"))],
                [.. Timings(9).Take(2)], Facts("trixie", "sid", "default", 9).Replace("versions.ipykernel=7.2.0", "versions.ipykernel=", StringComparison.Ordinal)
                    .Replace("kernel.last_status=idle", "kernel.last_status=dead", StringComparison.Ordinal), """
                    [I 2026-11-26 09:17:01.203 JupyterHubSingleUser] Starting jupyterhub single-user server extension version 5.2.1
                    [I 2026-11-26 09:17:01.511 ServerApp] Jupyter Server 2.20.0 is running at:
                    [I 2026-11-26 09:17:02.114 ServerApp] Kernel started: 1a2b3c4d-5e6f-4a7b-8c9d-0e1f2a3b4c5d
                    Traceback (most recent call last):
                      File "/usr/lib/python3/dist-packages/ipykernel_launcher.py", line 16, in <module>
                        from ipykernel import kernelapp as app
                    ModuleNotFoundError: No module named 'ipykernel'
                    [I 2026-11-26 09:17:05.130 ServerApp] AsyncIOLoopKernelRestarter: restarting kernel (1/5), new random ports
                    [W 2026-11-26 09:17:17.402 ServerApp] AsyncIOLoopKernelRestarter: restart failed
                    """));

        private static readonly double[] Checks = [5980, 310, 10040, 240, 1960, 2310];

        private static IReadOnlyList<(string, TimeSpan)> Timings(int seed) =>
        [
            ("spawn", TimeSpan.FromMilliseconds(4300 + seed * 260)), ("kernel-start", TimeSpan.FromMilliseconds(190 + seed * 9)),
            ("kernel-connect", TimeSpan.FromMilliseconds(960 + seed * 31)), ("kernel-ready", TimeSpan.FromMilliseconds(70 + seed * 4)),
            .. Enumerable.Range(0, 12).Select(i => ("execute", TimeSpan.FromMilliseconds(48 + (i * 7 + seed) % 30))),
            ("alive-window", TimeSpan.FromMilliseconds(10030 + seed)), ("interrupt", TimeSpan.FromMilliseconds(29 + seed)),
            ("restart", TimeSpan.FromMilliseconds(1650 + seed * 90)), ("session-start", TimeSpan.FromMilliseconds(36 + seed)),
        ];

        private static string Facts(string hub, string image, string profile, int seed)
        {
            var pid1 = profile switch
            {
                "kubespawner-pr34-command" => "jupyterhub-singleuser --ip=0.0.0.0",
                "docker-init" => "/sbin/docker-init -- jupyterhub-singleuser --ip=0.0.0.0",
                _ => "/bin/sh -c jupyterhub-singleuser --ip=0.0.0.0",
            };
            var server = profile == "kubespawner-pr34-command" ? 1 : 7;
            var (jupyterhub, ipykernel, server_) = image switch
            {
                "trixie" => ("5.2.1", "6.29.3", "2.15.0"),
                "sid" => ("5.2.1", "7.2.0", "2.20.0"),
                _ => ("3.0.0", "6.17.0", ""),
            };
            return $"""
                tier=docker
                hub.version={(hub == "bookworm" ? "3.0.0" : "5.2.1")}
                image=kr/singleuser:{image}-default-{(image.EndsWith("pre-pr233", StringComparison.Ordinal) ? "" : "none-")}{seed:x}f3a9
                image.kernel_patch={(image.EndsWith("pre-pr233", StringComparison.Ordinal) ? "pre-pr233" : "none")}
                profile.name={profile}
                profile.command={(profile == "kubespawner-pr34-command" ? "[\"jupyterhub-singleuser\",\"--ip=0.0.0.0\"]" : "null")}
                profile.args=null
                profile.init={(profile == "docker-init" ? "true" : "false")}
                profile.mem_limit=1G
                versions.jupyterhub={jupyterhub}
                versions.ipykernel={ipykernel}
                versions.jupyter_server={server_}
                proc.pid1={pid1}
                proc.server.pid={server}
                proc.server.ppid={(server == 1 ? 0 : 1)}
                proc.kernel.pid={23 + seed}
                proc.kernel.ppid={server}
                user.uid=1000
                user.home.writable=true
                env.JUPYTERHUB_USER=student-{seed:x}07e1e1d
                container.oom_killed=false
                kernel.last_status={(profile == "kubespawner-pr34-command" && image.EndsWith("pre-pr233", StringComparison.Ordinal) ? "restarting" : "idle")}
                """;
        }

        private static string HealthyLog(int seed) => $"""
            [I 2026-11-26 09:15:{10 + seed}.718 SingleUserNotebookApp mixins:610] Starting jupyterhub single-user server version 3.0.0
            [I 2026-11-26 09:15:{11 + seed}.611 SingleUserNotebookApp kernelmanager:179] Kernel started: 8cc1607d-fbf8-4448-9d32-64219{seed}ea763c, name: python3
            """;
    }
}
