namespace KernelRegression.Tests.Diagnosis;

/// <summary>
/// Cells as the docker tier records them, for the three failures the diagnosis must explain: the
/// 2017 incident (server as PID 1 + pre-#233 kernel), a memory-limit kill, and a kernel that cannot
/// import ipykernel. Facts, logs and ids are shaped like real ones, ids and times included, so the
/// diagnosis has to see through the same noise it meets in a real run.
/// </summary>
internal static class DiagnosisScenarios
{
    public const string Healthy = "docker/hub-trixie/img-bookworm/profile-default";
    public const string Incident = "docker/hub-trixie/img-bookworm-pre-pr233/profile-kubespawner-pr34-command";
    public const string PatchedSameProfile = "docker/hub-trixie/img-bookworm/profile-kubespawner-pr34-command";
    public const string PrePr233Default = "docker/hub-trixie/img-bookworm-pre-pr233/profile-default";
    public const string DockerInit = "docker/hub-trixie/img-bookworm/profile-docker-init";
    public const string OutOfMemory = "docker/hub-trixie/img-bookworm/profile-small-memory";
    public const string TrixieHealthy = "docker/hub-trixie/img-trixie/profile-default";
    public const string BrokenKernelspec = "docker/hub-trixie/img-trixie/profile-default/scenario-broken-kernelspec";

    public static CellResult Cell(string id) => id switch
    {
        Healthy => Passed(id, BookwormFacts("none", "3f9a1c", "default", "07e1e1d7") + ShellPid1, HealthyLog("07e1e1d7", "8cc1607d-fbf8-4448-9d32-642197ea763c", "22:50")),
        PrePr233Default => Passed(id, BookwormFacts("pre-pr233", "b41e07", "default", "19aa03f2") + ShellPid1, HealthyLog("19aa03f2", "0e3d2c11-7b1a-4f5e-9d1c-5a6b7c8d9e0f", "22:51")),
        PatchedSameProfile => Passed(id, BookwormFacts("none", "3f9a1c", "kubespawner-pr34-command", "2d4e6f80") + ServerPid1("idle"),
            HealthyLog("2d4e6f80", "5f2e1a90-1c2d-4e3f-8a9b-0c1d2e3f4a5b", "22:52")),
        DockerInit => Passed(id, BookwormFacts("none", "3f9a1c", "docker-init", "a1b2c3d4", init: true) +
            "proc.pid1=/sbin/docker-init -- jupyterhub-singleuser --ip=0.0.0.0\nproc.server.pid=7\nproc.server.ppid=1\nproc.kernel.pid=29\nproc.kernel.ppid=7\nproc.kernel.parent=jupyterhub-singleuser\nkernel.last_status=idle\n",
            HealthyLog("a1b2c3d4", "9a8b7c6d-5e4f-4a3b-8c2d-1e0f9a8b7c6d", "22:53")),
        Incident => Failed(id, "KernelRestarter: restarting kernel (1/5), new random ports",
            BookwormFacts("pre-pr233", "b41e07", "kubespawner-pr34-command", "5b2c99e1") + ServerPid1("restarting"), IncidentLog),
        OutOfMemory => Failed(id, "kernel died: container exited 137 (OOMKilled)",
            BookwormFacts("none", "3f9a1c", "small-memory", "77f0e2b9", memLimit: "64M", exitCode: "137", oomKilled: true) + "kernel.last_status=dead\n", OutOfMemoryLog),
        TrixieHealthy => Passed(id, TrixieFacts("c0ffee12") + "proc.pid1=/bin/sh -c jupyterhub-singleuser --ip=0.0.0.0\nproc.server.pid=7\nproc.server.ppid=1\nproc.kernel.pid=35\nproc.kernel.ppid=7\nproc.kernel.parent=jupyterhub-singleuser\nkernel.last_status=idle\n",
            TrixieLog("c0ffee12", "6c5b4a39-2817-4f6e-9d5c-4b3a29181706", "23:09") + "[I 2026-11-25 23:09:05.310 ServerApp] Kernel interrupted: 6c5b4a39-2817-4f6e-9d5c-4b3a29181706\n"),
        BrokenKernelspec => Failed(id, "ModuleNotFoundError: No module named 'ipykernel'",
            TrixieFacts("e4d3c2b1") + "proc.pid1=/bin/sh -c jupyterhub-singleuser --ip=0.0.0.0\nproc.server.pid=7\nproc.server.ppid=1\nkernel.last_status=dead\n", BrokenKernelLog),
        _ => throw new ArgumentException($"no scenario cell {id}"),
    };

    public static CellReport Report(string id, bool expectedToFail = false, string? reason = null) =>
        new(Cell(id) is var c && expectedToFail ? c with { Cell = c.Cell with { Expected = new Expectation(true, reason, null, c.Checks.FirstOrDefault(k => k.Cause is not null)?.Cause ?? "") } } : c);

    private const string ShellPid1 = """
        proc.pid1=/bin/sh -c jupyterhub-singleuser --ip=0.0.0.0
        proc.server.pid=7
        proc.server.ppid=1
        proc.kernel.pid=31
        proc.kernel.ppid=7
        proc.kernel.parent=jupyterhub-singleuser
        kernel.last_status=idle

        """;

    private static string ServerPid1(string status) => $"""
        proc.pid1=jupyterhub-singleuser --ip=0.0.0.0
        proc.server.pid=1
        proc.server.ppid=0
        proc.kernel.pid=23
        proc.kernel.ppid=1
        proc.kernel.parent=jupyterhub-singleuser
        kernel.last_status={status}

        """;

    private static string BookwormFacts(string patch, string hash, string profile, string user, bool init = false,
        string memLimit = "1G", string exitCode = "", bool oomKilled = false)
    {
        var command = profile == "kubespawner-pr34-command" ? """["jupyterhub-singleuser","--ip=0.0.0.0"]""" : "null";
        return $"""
            tier=docker
            hub.version=5.2.1
            image=kr/singleuser:bookworm-default-{patch}-{hash}
            versions.kernel_patch={patch}
            profile.name={profile}
            profile.command={command}
            profile.args=null
            profile.init={(init ? "true" : "false")}
            profile.uid=1000
            profile.mem_limit={memLimit}
            versions.jupyterhub=3.0.0
            versions.notebook=6.4.12
            versions.ipykernel=6.17.0
            versions.jupyter_client=7.4.9
            versions.jupyter_server=
            versions.python=3.11.2
            {UserFacts(user)}
            env.JUPYTERHUB_SERVICE_PREFIX=/user/student-{user}/
            container.exit_code={exitCode}
            container.oom_killed={(oomKilled ? "true" : "false")}

            """;
    }

    /// <summary>The user and environment facts every scenario's server reports alike (no newline after the last).</summary>
    private static string UserFacts(string user) => $"""
        user.uid=1000
        user.gid=100
        user.home=/home/jovyan
        user.home.writable=true
        env.HOME=/home/jovyan
        env.JUPYTERHUB_API_TOKEN=[redacted]
        env.JUPYTERHUB_USER=student-{user}
        """;

    private static string TrixieFacts(string user) => $"""
        tier=docker
        hub.version=5.2.1
        image=kr/singleuser:trixie-default-none-9d8e7f
        versions.kernel_patch=none
        profile.name=default
        profile.command=null
        profile.args=null
        profile.init=false
        profile.uid=1000
        profile.mem_limit=1G
        versions.jupyterhub=5.2.1
        versions.notebook=
        versions.ipykernel=6.29.3
        versions.jupyter_client=8.6.3
        versions.jupyter_server=2.15.0
        versions.python=3.13.5
        {UserFacts(user)}
        container.exit_code=
        container.oom_killed=false

        """;

    private static string HealthyLog(string user, string kernel, string minute) => $"""
        [I 2026-11-25 {minute}:34.718 SingleUserNotebookApp mixins:610] Starting jupyterhub single-user server version 3.0.0
        [I 2026-11-25 {minute}:34.718 SingleUserNotebookApp mixins:624] Extending notebook.notebookapp.NotebookApp from notebook 6.4.12
        [I 2026-11-25 {minute}:35.084 SingleUserNotebookApp notebookapp:2327] Serving notebooks from local directory: /home/jovyan
        [I 2026-11-25 {minute}:35.084 SingleUserNotebookApp notebookapp:2327] http://2ce10dde7b3d:8888/user/student-{user}/
        [I 2026-11-25 {minute}:37.329 SingleUserNotebookApp log:186] 302 GET /user/student-{user}/ -> /user/student-{user}/tree? (@172.23.0.2) 2.94ms
        0.00s - Debugger warning: It seems that frozen modules are being used, which may
        [I 2026-11-25 {minute}:37.611 SingleUserNotebookApp kernelmanager:179] Kernel started: {kernel}, name: python3
        [I 2026-11-25 {minute}:37.619 SingleUserNotebookApp log:186] 201 POST /user/student-{user}/api/kernels (student-{user}@172.23.0.1) 204.13ms
        [I 2026-11-25 {minute}:38.670 SingleUserNotebookApp log:186] 101 GET /user/student-{user}/api/kernels/{kernel}/channels?session_id=015424ac7c5e4a6eb8acc2c321a2d6f0 (student-{user}@172.23.0.1) 907.26ms
        [I 2026-11-25 {minute}:49.227 SingleUserNotebookApp multikernelmanager:339] Kernel interrupted: {kernel}
        [I 2026-11-25 {minute}:50.020 SingleUserNotebookApp multikernelmanager:378] Kernel restarted: {kernel}
        """;

    private static readonly string IncidentLog = HealthyLog("5b2c99e1", "3b6f1d22-88a4-4c1e-b0f7-2a9e6c4d1f03", "23:02").Split("\n[I 2026-11-25 23:02:38")[0] + """

        [IPKernelApp] WARNING | Parent appears to have exited, shutting down.
        [W 2026-11-25 23:02:40.702 SingleUserNotebookApp restarter:130] KernelRestarter: restarting kernel (1/5), new random ports
        [I 2026-11-25 23:02:41.911 SingleUserNotebookApp log:186] 101 GET /user/student-5b2c99e1/api/kernels/3b6f1d22-88a4-4c1e-b0f7-2a9e6c4d1f03/channels?session_id=77aa01bc3d4e4f5a8b9c0d1e2f3a4b5c (student-5b2c99e1@172.23.0.1) 611.02ms
        [IPKernelApp] WARNING | Parent appears to have exited, shutting down.
        [W 2026-11-25 23:02:43.118 SingleUserNotebookApp restarter:130] KernelRestarter: restarting kernel (2/5), new random ports
        """;

    private static readonly string OutOfMemoryLog = HealthyLog("77f0e2b9", "4d3c2b1a-0f9e-4d8c-b7a6-958473625140", "23:05").Split("\n[I 2026-11-25 23:05:49")[0] + """

        [I 2026-11-25 23:05:39.020 SingleUserNotebookApp log:186] 200 GET /user/student-77f0e2b9/api/kernels/4d3c2b1a-0f9e-4d8c-b7a6-958473625140 (student-77f0e2b9@172.23.0.1) 5.51ms
        """;

    private static string TrixieLog(string user, string kernel, string minute) => $"""
        [I 2026-11-25 {minute}:01.203 JupyterHubSingleUser] Starting jupyterhub single-user server extension version 5.2.1
        [I 2026-11-25 {minute}:01.511 ServerApp] Serving notebooks from local directory: /home/jovyan
        [I 2026-11-25 {minute}:01.511 ServerApp] Jupyter Server 2.15.0 is running at:
        [I 2026-11-25 {minute}:01.511 ServerApp] http://a8c41f0e92d7:8888/user/student-{user}/
        [I 2026-11-25 {minute}:02.114 ServerApp] Kernel started: {kernel}
        [I 2026-11-25 {minute}:02.121 ServerApp] 201 POST /user/student-{user}/api/kernels (student-{user}@172.23.0.1) 188.40ms

        """;

    private static readonly string BrokenKernelLog = TrixieLog("e4d3c2b1", "1a2b3c4d-5e6f-4a7b-8c9d-0e1f2a3b4c5d", "23:10") + """
        Traceback (most recent call last):
          File "<frozen runpy>", line 198, in _run_module_as_main
          File "<frozen runpy>", line 88, in _run_code
          File "/usr/lib/python3/dist-packages/ipykernel_launcher.py", line 16, in <module>
            from ipykernel import kernelapp as app
        ModuleNotFoundError: No module named 'ipykernel'
        [I 2026-11-25 23:10:05.130 ServerApp] AsyncIOLoopKernelRestarter: restarting kernel (1/5), new random ports
        Traceback (most recent call last):
          File "<frozen runpy>", line 198, in _run_module_as_main
        ModuleNotFoundError: No module named 'ipykernel'
        [W 2026-11-25 23:10:17.402 ServerApp] AsyncIOLoopKernelRestarter: restart failed
        [W 2026-11-25 23:10:17.403 ServerApp] Kernel 1a2b3c4d-5e6f-4a7b-8c9d-0e1f2a3b4c5d died, removing from map.
        """;

    private static CellResult Passed(string id, string facts, string log) =>
        SyntheticCell.Result(id, [CheckOutcome.Pass("kernel-starts", TimeSpan.FromSeconds(5.8)), CheckOutcome.Pass("executes", TimeSpan.FromSeconds(0.3)),
                 CheckOutcome.Pass("stays-alive", TimeSpan.FromSeconds(10))],
            Timings(5200), facts, log, hubLog: HubLog);

    private static CellResult Failed(string id, string cause, string facts, string log) =>
        SyntheticCell.Result(id, [CheckOutcome.Fail("kernel-starts", TimeSpan.FromSeconds(4.1), cause), CheckOutcome.NotAttempted("executes", "not attempted: kernel-starts failed")],
            Timings(4900), facts, log, hubLog: HubLog);

    private static IReadOnlyList<(string, TimeSpan)> Timings(double spawnMs) =>
        [("spawn", TimeSpan.FromMilliseconds(spawnMs)), ("kernel-start", TimeSpan.FromMilliseconds(210)), ("kernel-connect", TimeSpan.FromMilliseconds(1040)),
         ("execute", TimeSpan.FromMilliseconds(58)), ("execute", TimeSpan.FromMilliseconds(61))];

    private const string HubLog = "[I 2026-11-25 22:50:30.515 JupyterHub app:2775] Running JupyterHub version 5.2.1";
}
