namespace KernelRegression.Suite.Deployments;

/// <summary>
/// One spawn of a launch that sets almost every key of the contract at once, shared by the facts that
/// each read one key back in its kernel (a spawn costs seconds; the facts cost milliseconds).
/// </summary>
public sealed class FullLaunch : IAsyncDisposable
{
    /// <summary>
    /// A uid with no passwd entry and no ownership of the image's home, made to work by fs_gid as
    /// kubelet's fsGroup does; env entries referencing each other; volumes of every kind the contract
    /// has, a sub_path into the home, an init container and a postStart hook that leave marks.
    /// </summary>
    public const string Keys = """
        {
          "uid": 4242, "gid": 4343, "fs_gid": 2000,
          "working_dir": "/srv/work",
          "mem_limit": "700M", "mem_guarantee": "300M", "cpu_limit": 0.5, "cpu_guarantee": 0.25,
          "read_only_root": true, "allow_privilege_escalation": false,
          "default_url": "/tree/course",
          "env": {
            "KR_COURSE": "physics",
            "KR_COURSE_ID": "$(KR_COURSE)-101",
            "KR_OWNER": "$(JUPYTERHUB_USER)",
            "KR_PRICE": "$$(KR_COURSE)",
            "KR_UNSET": "$(KR_NOT_DEFINED)",
            "KR_TOO_EARLY": "$(KR_LATER)",
            "KR_LATER": "later",
            "KR_MEMORY": "$(MEM_LIMIT) bytes"
          },
          "volumes": [
            {"name": "course", "type": "configMap", "default_mode": 416,
             "files": {"README.md": "# Physics 101\n", "data/measurements.csv": "t,x\n0,1\n"}},
            {"name": "scratch", "type": "emptyDir"},
            {"name": "work", "type": "emptyDir"}
          ],
          "volume_mounts": [
            {"name": "course", "mount_path": "/srv/course"},
            {"name": "course", "mount_path": "/srv/syllabus.md", "sub_path": "README.md"},
            {"name": "scratch", "mount_path": "/srv/scratch"},
            {"name": "scratch", "mount_path": "/srv/scratch-ro", "read_only": true},
            {"name": "work", "mount_path": "/srv/work"},
            {"name": "home", "mount_path": "/srv/notes", "sub_path": "notes"}
          ],
          "extra_files": [{"mount_path": "/etc/kr/course.json", "mode": 292, "content": "{\"course\": \"physics\"}"}],
          "init_containers": [{
            "name": "fetch-course", "image": null,
            "command": ["sh", "-c", "echo \"$(KR_GREETING) from $(id -u)\" > /home/jovyan/init-mark && cp /course/README.md /scratch/from-init.md"],
            "env": {"KR_GREETING": "hello"},
            "volume_mounts": [
              {"name": "home", "mount_path": "/home/jovyan"},
              {"name": "scratch", "mount_path": "/scratch"},
              {"name": "course", "mount_path": "/course"}
            ]
          }],
          "post_start": ["sh", "-c", "echo \"$(id -u) $(id -G)\" > \"$HOME/post-start-mark\""]
        }
        """;

    private readonly Lock _gate = new();
    private Task<(Student Student, KernelConnection Kernel)>? _launched;
    private Student? _student;

    public Task<(Student Student, KernelConnection Kernel)> GetAsync(DockerFixture tier)
    {
        lock (_gate)
        {
            return _launched ??= LaunchAsync(tier);
        }
    }

    private async Task<(Student, KernelConnection)> LaunchAsync(DockerFixture tier)
    {
        // Shared by several tests, so bound by the spawn's own deadlines rather than one test's token.
        var ct = CancellationToken.None;
        var deployment = await LaunchDeployment.GetAsync(tier, ct);
        _student = await Student.SpawnAsync(deployment.Hub, ct, userOptions: deployment.Options(Keys));
        var kernel = await _student.StartKernelAsync(ct);
        return (_student, kernel);
    }

    public async ValueTask DisposeAsync()
    {
        if (_student is not null)
        {
            await _student.DisposeAsync();
        }
    }
}
