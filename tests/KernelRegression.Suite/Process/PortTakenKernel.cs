namespace KernelRegression.Suite.Process;

/// <summary>
/// The port race at start (Jupyter/PortRace), made to happen: user kernelspecs whose launcher lets another
/// process take the kernel's shell port before the kernel binds it, as another server's kernel may on a
/// shared host. <see cref="Once"/> loses on the first launch only, <see cref="Always"/> on every launch.
/// </summary>
public static class PortTakenKernel
{
    public const string Once = "kr-port-taken-once";
    public const string Always = "kr-port-taken-always";

    // The other process is a process of its own, not a fork: a fork's command line would name the
    // connection file and make it one of the kernel's processes. It holds the port until the kernel exits.
    private const string Launcher = """
        import json, os, subprocess, sys

        TAKER = (
            "import os, select, socket, sys\n"
            "kernel = os.pidfd_open(int(sys.argv[3]))\n"
            "taker = socket.socket()\n"
            "taker.bind((sys.argv[1], int(sys.argv[2])))\n"
            "taker.listen()\n"
            "print('bound', flush=True)\n"
            "select.select([kernel], [], [])\n"
        )

        connection_file, mode = sys.argv[1], sys.argv[2]
        marker = os.path.expanduser("~/.kr-port-taken")
        if mode == "always" or not os.path.exists(marker):
            open(marker, "w").close()
            with open(connection_file) as f:
                info = json.load(f)
            taker = subprocess.Popen([sys.executable, "-c", TAKER, info["ip"], str(info["shell_port"]), str(os.getpid())], stdout=subprocess.PIPE)
            taker.stdout.readline()
        os.execv(sys.executable, [sys.executable, "-m", "ipykernel_launcher", "-f", connection_file])
        """;

    public static async Task LeaveAsync(IHubDeployment deployment, Student student, CancellationToken ct)
    {
        var home = deployment.Get<IHomeFiles>() ?? throw new InvalidOperationException(deployment.WhyNot<IHomeFiles>());
        await home.WriteUserFileAsync(student.Name, "kr-port-taken.py", Launcher, ct);
        foreach (var (name, mode) in new[] { (Once, "once"), (Always, "always") })
        {
            await home.WriteUserFileAsync(student.Name, $".local/share/jupyter/kernels/{name}/kernel.json", $$"""
                {
                  "argv": ["/usr/bin/python3", "-c", "import os, runpy; runpy.run_path(os.path.expanduser('~/kr-port-taken.py'), run_name='__main__')", "{connection_file}", "{{mode}}"],
                  "display_name": "KernelRegression: a kernel whose shell port is taken at start ({{mode}})",
                  "language": "python"
                }
                """, ct);
        }
    }
}
