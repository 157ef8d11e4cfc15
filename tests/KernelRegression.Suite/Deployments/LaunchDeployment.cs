using System.Text.Json;
using System.Text.Json.Nodes;

namespace KernelRegression.Suite.Deployments;

/// <summary>
/// The hub (trixie, a hub of its own named "launch") and image (bookworm) the launch-contract tests spawn
/// on, and the user_options they send: the launch JSON of fixtures/hub/kr_container_spawner.py, written
/// out by each test rather than rendered from a <see cref="LaunchProfile"/>.
/// </summary>
internal sealed record LaunchDeployment(DockerHub Hub, string Image)
{
    public static async Task<LaunchDeployment> GetAsync(DockerFixture tier, CancellationToken ct)
    {
        var docker = tier.Tier;
        var hub = await docker.HubAsync(tier.MatrixFile.Hub("trixie") with { Name = "launch" }, ct);
        var image = await docker.Images.SingleUserAsync(tier.MatrixFile.Image("bookworm"), ct);
        return new LaunchDeployment(hub, image);
    }

    /// <summary>
    /// user_options {"launch_profile": {...}}: the image, the labels the hub gives its spawns (so its
    /// teardown removes what they made) and the given keys (JSON text, order kept: env is ordered).
    /// </summary>
    public JsonObject Options(string launchKeys)
    {
        var labels = Hub.UserOptions(Image, LaunchProfile.Resolve("default"))["launch_profile"]!["labels"]!.DeepClone().AsObject();
        labels["org.kernelregression.profile"] = "launch-contract";
        var launch = new JsonObject { ["image"] = Image, ["labels"] = labels };
        foreach (var (key, value) in JsonNode.Parse(launchKeys)!.AsObject())
        {
            launch[key] = value?.DeepClone();
        }
        return new JsonObject { ["launch_profile"] = launch };
    }

    /// <summary>A student spawned with these launch keys (added to <paramref name="students"/> for disposal) and a started kernel.</summary>
    public async Task<(Student Student, KernelConnection Kernel)> LaunchAsync(string keys, List<Student> students, CancellationToken ct, string? name = null)
    {
        var student = await Student.SpawnAsync(Hub, ct, name: name, userOptions: Options(keys));
        students.Add(student);
        var kernel = await student.StartKernelAsync(ct);
        TestContext.Current.AddAttachment($"timings {student.Name}", student.Timings.ToString());
        return (student, kernel);
    }
}

/// <summary>What a kernel reports about itself: Python that prints one JSON document, parsed.</summary>
internal static class KernelReport
{
    private static int _reports;

    public static async Task<JsonElement> ReadAsync(Student student, KernelConnection kernel, string python, CancellationToken ct)
    {
        var result = await KernelChecks.ExecutesAsync(student, kernel, python, ct);
        result.Error.Should().BeNull($"the probe must run in the kernel: {result.Error?.PlainTraceback}");
        TestContext.Current.AddAttachment($"kernel report {Interlocked.Increment(ref _reports)}", result.Stdout);
        return JsonDocument.Parse(result.Stdout).RootElement.Clone();
    }

    /// <summary>Python helpers the probes share: a file's text, and the errno name a write raises (or None).</summary>
    public const string Helpers = """
        import errno, json, os, stat
        def text(path):
            try:
                with open(path) as f:
                    return f.read()
            except OSError as e:
                return "ERROR " + errno.errorcode.get(e.errno, str(e.errno))
        def write_error(path):
            try:
                with open(path, "w") as f:
                    f.write("written by the kernel")
                return None
            except OSError as e:
                return errno.errorcode.get(e.errno, str(e.errno))
        def mount_at(path):
            # /proc/self/mountinfo: "id parent major:minor root mount-point options ..."
            with open("/proc/self/mountinfo") as f:
                for line in f:
                    fields = line.split()
                    if fields[4] == path:
                        return {"root": fields[3], "options": fields[5]}
            return None

        """;
}
