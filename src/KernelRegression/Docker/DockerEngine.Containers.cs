using Docker.DotNet;
using Docker.DotNet.Models;

namespace KernelRegression.Docker;

/// <summary>What a command run in a container gave back: its exit code and output.</summary>
public sealed record ExecResult(long ExitCode, string Stdout, string Stderr);

/// <summary>Containers: their state, signals, pause, commands run inside them, helper containers run to their end, logs.</summary>
public static partial class DockerEngine
{
    /// <summary>
    /// A container's name as the engine's paths take it: Testcontainers' IContainer.Name is the engine's own
    /// "/name", which the docker command strips and the API path does not (a "containers//name" request is a 400).
    /// </summary>
    private static string Named(string container) => container.TrimStart('/');

    /// <summary>The container's state and configuration, or null when there is no such container.</summary>
    public static Task<ContainerInspectResponse?> InspectAsync(string container, CancellationToken ct) =>
        CallAsync<ContainerInspectResponse?>($"inspecting container {container}", async c =>
        {
            try
            {
                return await c.Containers.InspectContainerAsync(Named(container), ct);
            }
            catch (DockerContainerNotFoundException)
            {
                return null;
            }
        }, "check `docker info`");

    /// <summary>The container's address on a network it is attached to.</summary>
    public static async Task<string> AddressAsync(string container, string network, CancellationToken ct)
    {
        var c = await InspectAsync(container, ct);
        return c?.NetworkSettings?.Networks is { } networks && networks.TryGetValue(network, out var on) && on.IPAddress is { Length: > 0 } ip
            ? ip
            : throw new HarnessFaultException($"container {container} has no address on network {network} ({(c is null ? "no such container" : "not attached")})",
                $"the container is gone or not on that network: `docker ps -a --filter name={container}`");
    }

    /// <summary>SIGKILL to the container's main process, as `docker kill` sends it.</summary>
    public static Task KillAsync(string container, CancellationToken ct) =>
        CallAsync($"killing container {container}", c => c.Containers.KillContainerAsync(Named(container), new ContainerKillParameters { Signal = "KILL" }, ct),
            $"`docker ps -a --filter name={container}`: the container must be running");

    /// <summary>Stops the container (SIGTERM, SIGKILL after <paramref name="grace"/>) and starts it again, as `docker restart --time`.</summary>
    public static Task RestartAsync(string container, TimeSpan grace, CancellationToken ct) =>
        CallAsync($"restarting container {container}", c => c.Containers.RestartContainerAsync(Named(container),
            new ContainerRestartParameters { WaitBeforeKillSeconds = (uint)grace.TotalSeconds }, ct), $"`docker logs {container}` says why it did not come back");

    /// <summary>Freezes every process of the container (the freezer cgroup), or thaws them.</summary>
    public static Task PauseAsync(string container, bool pause, CancellationToken ct) =>
        CallAsync($"{(pause ? "pausing" : "unpausing")} container {container}",
            c => pause ? c.Containers.PauseContainerAsync(Named(container), ct) : c.Containers.UnpauseContainerAsync(Named(container), ct),
            $"`docker ps -a --filter name={container}`: only a running container pauses, only a paused one unpauses");

    /// <summary>
    /// Runs <paramref name="command"/> in the container (as <paramref name="user"/>, else the container's
    /// user), <paramref name="stdin"/> written to it then closed, and waits for its end: its exit code and output.
    /// </summary>
    public static Task<ExecResult> ExecAsync(string container, IReadOnlyList<string> command, CancellationToken ct, string? user = null, byte[]? stdin = null) =>
        CallAsync($"running {command[0]} in container {container}", async c =>
        {
            var exec = await c.Exec.CreateContainerExecAsync(Named(container), new ContainerExecCreateParameters
            {
                Cmd = [.. command], User = user ?? "", AttachStdout = true, AttachStderr = true, AttachStdin = stdin is not null,
            }, ct);
            using (var stream = await c.Exec.StartContainerExecAsync(exec.ID, new ContainerExecStartParameters(), ct))
            {
                if (stdin is not null)
                {
                    await stream.WriteAsync(stdin, 0, stdin.Length, ct);
                    stream.CloseWrite();
                }
                var (stdout, stderr) = await stream.ReadOutputToEndAsync(ct);
                var end = await c.Exec.InspectContainerExecAsync(exec.ID, ct);
                return new ExecResult(end.ExitCode ?? -1, stdout, stderr);
            }
        }, $"`docker ps -a --filter name={container}`: the container must be running (and not paused)");

    /// <summary>
    /// Runs a helper container to its end and removes it (`docker run --rm`), labelled with the run and the
    /// owner: its output goes to <paramref name="onLine"/>; a non-zero exit is a harness error ending with that output.
    /// </summary>
    public static async Task RunToEndAsync(CreateContainerParameters container, string runId, string what, Action<string> onLine, CancellationToken ct)
    {
        container.Labels = new Dictionary<string, string>(container.Labels ?? new Dictionary<string, string>()) { [RunLabel] = runId, [OwnerLabel] = Owner };
        var fix = $"check that the image {container.Image} exists (`docker image ls`) and `docker info`";
        var id = (await CallAsync(what, c => c.Containers.CreateContainerAsync(container, ct), fix)).ID;
        try
        {
            await CallAsync(what, c => c.Containers.StartContainerAsync(id, null, ct), fix);
            var exit = (await CallAsync(what, c => c.Containers.WaitContainerAsync(id, ct), fix)).StatusCode;
            var tail = new Queue<string>();
            await CallAsync(what, async c =>
            {
                using var logs = await c.Containers.GetContainerLogsAsync(id, new ContainerLogsParameters { ShowStdout = true, ShowStderr = true }, ct);
                await ReadLinesAsync(logs, line =>
                {
                    tail.Enqueue(line);
                    if (tail.Count > 25)
                    {
                        tail.Dequeue();
                    }
                    onLine(line);
                }, ct);
            }, fix);
            if (exit != 0)
            {
                var said = tail.LastOrDefault(l => l.Trim().Length > 0)?.Trim() ?? "";
                throw new HarnessFaultException($"{what} failed (exit {exit}): {said}\n{string.Join('\n', tail)}", "read the output above");
            }
        }
        finally
        {
            await QuietlyAsync(Client.Containers.RemoveContainerAsync(id, new ContainerRemoveParameters { Force = true, RemoveVolumes = true }, CancellationToken.None));
        }
    }

    /// <summary>
    /// Follows the container's output (stdout and stderr, `docker logs -f`) line by line until it stops or
    /// <paramref name="ct"/> is cancelled; only output from <paramref name="since"/> on when given. A container
    /// that does not exist has no output to follow.
    /// </summary>
    public static async Task FollowLogsAsync(string container, DateTimeOffset? since, Action<string> onLine, CancellationToken ct)
    {
        var parameters = new ContainerLogsParameters
        {
            ShowStdout = true, ShowStderr = true, Follow = true,
            Since = since is { } s ? (s.ToUnixTimeMilliseconds() / 1000.0).ToString("0.000", System.Globalization.CultureInfo.InvariantCulture) : null,
        };
        try
        {
            using var logs = await Client.Containers.GetContainerLogsAsync(Named(container), parameters, ct);
            await ReadLinesAsync(logs, onLine, ct);
        }
        catch (Exception e) when (e is DockerApiException or OperationCanceledException or IOException or HttpRequestException)
        {
            // Gone, never made, or no longer followed: its output so far is in the tail.
        }
    }

    /// <summary>Reads a multiplexed stream to its end, one line at a time per stream (stdout and stderr keep their own partial lines).</summary>
    private static async Task ReadLinesAsync(MultiplexedStream stream, Action<string> onLine, CancellationToken ct)
    {
        var buffer = new byte[16384];
        var lines = new Dictionary<MultiplexedStream.TargetStream, OutputLines>();
        while (true)
        {
            var read = await stream.ReadOutputAsync(buffer, 0, buffer.Length, ct);
            if (read.EOF)
            {
                break;
            }
            if (!lines.TryGetValue(read.Target, out var target))
            {
                lines[read.Target] = target = new OutputLines(onLine);
            }
            target.Add(buffer.AsSpan(0, read.Count));
        }
        foreach (var target in lines.Values)
        {
            target.Flush();
        }
    }
}
