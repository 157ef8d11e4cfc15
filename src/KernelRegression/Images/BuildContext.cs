using System.Formats.Tar;

namespace KernelRegression.Images;

/// <summary>
/// A build's context as the Engine API takes it: a tar of a folder (or of one in-memory Dockerfile), owned by
/// root with a fixed time, so the same files give the same archive whoever checked them out and when. Modes are
/// kept (a script stays executable). GNU format, not PAX: the engine's BuildKit read a PAX archive's extended
/// headers as files (seen on 26.1: "dockerfile parse error on line 1: unknown instruction: ./PaxHeaders.9219/.").
/// </summary>
public sealed class BuildContext : IDisposable
{
    private static readonly DateTimeOffset Fixed = new(2000, 1, 1, 0, 0, 0, TimeSpan.Zero);
    private readonly MemoryStream _tar = new();

    private BuildContext()
    {
    }

    public Stream Tar => _tar;

    /// <summary>Every file and folder under <paramref name="folder"/>, by its path relative to it.</summary>
    public static BuildContext Of(string folder)
    {
        var context = new BuildContext();
        using (var writer = new TarWriter(context._tar, TarEntryFormat.Gnu, leaveOpen: true))
        {
            foreach (var path in Directory.EnumerateFileSystemEntries(folder, "*", SearchOption.AllDirectories).Order(StringComparer.Ordinal))
            {
                var name = Path.GetRelativePath(folder, path).Replace(Path.DirectorySeparatorChar, '/');
                var info = new FileInfo(path);
                if (info.LinkTarget is { } target)
                {
                    var link = Entry(TarEntryType.SymbolicLink, name, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
                    link.LinkName = target;
                    writer.WriteEntry(link);
                }
                else if (info.Attributes.HasFlag(FileAttributes.Directory))
                {
                    writer.WriteEntry(Entry(TarEntryType.Directory, name, ModeOf(path)));
                }
                else
                {
                    using var data = File.OpenRead(path);
                    var entry = Entry(TarEntryType.RegularFile, name, ModeOf(path));
                    entry.DataStream = data;
                    writer.WriteEntry(entry);
                }
            }
        }
        context._tar.Position = 0;
        return context;
    }

    /// <summary>A context of one file, the Dockerfile (`docker build -` with the Dockerfile on stdin).</summary>
    public static BuildContext OfDockerfile(string dockerfile)
    {
        var context = new BuildContext();
        using (var writer = new TarWriter(context._tar, TarEntryFormat.Gnu, leaveOpen: true))
        {
            var entry = Entry(TarEntryType.RegularFile, "Dockerfile", UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead);
            entry.DataStream = new MemoryStream(System.Text.Encoding.UTF8.GetBytes(dockerfile));
            writer.WriteEntry(entry);
        }
        context._tar.Position = 0;
        return context;
    }

    /// <summary>The file's mode (Linux only runs the harness; elsewhere a readable, writable file).</summary>
    private static UnixFileMode ModeOf(string path) =>
        OperatingSystem.IsWindows() ? UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead : File.GetUnixFileMode(path);

    private static GnuTarEntry Entry(TarEntryType type, string name, UnixFileMode mode) =>
        new(type, name) { Mode = mode, Uid = 0, Gid = 0, ModificationTime = Fixed };

    public void Dispose() => _tar.Dispose();
}
