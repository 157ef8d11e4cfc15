using System.Globalization;
using CliWrap;
using CliWrap.Buffered;

namespace KernelRegression.Deployments;

/// <summary>A commit of the deployment repository: full hash, subject line, committer date.</summary>
public sealed record GitCommit(string Hash, string Subject, DateTimeOffset Date)
{
    public string ShortHash => Hash[..Math.Min(12, Hash.Length)];

    public override string ToString() => $"{ShortHash} {Subject} ({Date:yyyy-MM-dd HH:mm zzz})";
}

/// <summary>
/// A deployment repository's history, read without touching its work tree or index: commits between
/// two revisions (first parent, oldest first) and values files at a revision (`git show REV:PATH`).
/// </summary>
public sealed class GitValuesHistory
{
    private GitValuesHistory(string repo) => Repo = repo;

    /// <summary>The directory given (value paths are relative to it).</summary>
    public string Repo { get; }

    /// <summary>Opens a repository; an error names a directory that is not one.</summary>
    public static async Task<GitValuesHistory> OpenAsync(string repo, CancellationToken ct)
    {
        var full = Path.GetFullPath(repo);
        if (!Directory.Exists(full))
        {
            throw new HarnessException($"--repo {repo} is not a directory", "pass the deployment repository's checkout (the folder with .git)");
        }
        var history = new GitValuesHistory(full);
        var (code, _, err) = await history.RunAsync(["rev-parse", "--git-dir"], ct);
        if (code != 0)
        {
            throw new HarnessException($"--repo {repo} is not a git repository ({err.Trim()})",
                "pass the deployment repository's checkout (the folder with .git), e.g. --repo . in its CI job");
        }
        return history;
    }

    /// <summary>The commit a revision names; an error names a revision that does not exist.</summary>
    public async Task<GitCommit> CommitAsync(string revision, CancellationToken ct)
    {
        var (code, output, _) = await RunAsync(["log", "-1", "--no-walk", "--format=%H%x1f%s%x1f%cI", $"{revision}^{{commit}}", "--"], ct);
        if (code != 0 || output.Trim().Length == 0)
        {
            throw new HarnessException($"revision '{revision}' does not exist in {Repo}",
                "use a commit id, tag or branch that `git log` in the repository shows (in CI, fetch enough history: actions/checkout with fetch-depth: 0)");
        }
        return Parse(output.Trim());
    }

    /// <summary>
    /// The first-parent commits from <paramref name="from"/> to <paramref name="to"/>, oldest first;
    /// <paramref name="from"/> itself first when <paramref name="includeFrom"/>. An error when from is
    /// not an ancestor of to.
    /// </summary>
    public async Task<IReadOnlyList<GitCommit>> CommitsAsync(string from, string to, CancellationToken ct, bool includeFrom = true)
    {
        var a = await CommitAsync(from, ct);
        var b = await CommitAsync(to, ct);
        var (ancestor, _, _) = await RunAsync(["merge-base", "--is-ancestor", a.Hash, b.Hash], ct);
        if (ancestor != 0)
        {
            throw new HarnessException($"{from} ({a.ShortHash}) is not an ancestor of {to} ({b.ShortHash}): there is no history from one to the other",
                "give the older revision first (good before bad, base before head)");
        }
        var (code, output, err) = await RunAsync(["log", "--first-parent", "--reverse", "--format=%H%x1f%s%x1f%cI", $"{a.Hash}..{b.Hash}", "--"], ct);
        if (code != 0)
        {
            throw new HarnessException($"git log {from}..{to} failed in {Repo}: {err.Trim()}", "check the repository and the revisions");
        }
        var commits = output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(Parse).ToList();
        return includeFrom ? [a, .. commits] : commits;
    }

    /// <summary>A file's text at a revision; path relative to <see cref="Repo"/> (or absolute inside it).</summary>
    public async Task<string> ShowAsync(string revision, string path, CancellationToken ct)
    {
        var relative = Path.IsPathRooted(path) ? Path.GetRelativePath(Repo, path) : path;
        if (relative.StartsWith("..", StringComparison.Ordinal))
        {
            throw new HarnessException($"values file {path} is outside the repository {Repo}", "give values paths inside --repo (relative to it)");
        }
        var (code, output, err) = await RunAsync(["show", $"{revision}:./{relative.Replace('\\', '/')}"], ct);
        if (code != 0)
        {
            var commit = await CommitAsync(revision, ct);
            throw new ValuesException($"commit {commit.ShortHash} ({commit.Subject}) has no {relative} ({err.Trim()})",
                "pass --values as paths inside the repository that exist at both ends (a commit without the file is skipped in a bisection)");
        }
        return output;
    }

    /// <summary>
    /// The values files at a revision, read and translated. A --volume-files folder inside the
    /// repository is read at the same revision too (the configMap as that commit had it).
    /// </summary>
    public async Task<DeploymentValues> LoadAsync(string revision, IReadOnlyList<string> paths, ValuesOptions options, CancellationToken ct)
    {
        var commit = await CommitAsync(revision, ct);
        var sources = new List<ValuesSource>();
        foreach (var p in paths)
        {
            sources.Add(new ValuesSource($"{commit.ShortHash}:{p}", await ShowAsync(commit.Hash, p, ct)));
        }
        var contents = new Dictionary<string, IReadOnlyDictionary<string, string>>(options.VolumeFileContents, StringComparer.Ordinal);
        foreach (var (name, dir) in options.VolumeFiles.Where(v => !contents.ContainsKey(v.Key)))
        {
            if (await FilesAtAsync(commit.Hash, dir, ct) is { } files)
            {
                contents[name] = files;
            }
        }
        return DeploymentValues.Parse(sources, options with
        {
            Label = options.Label ?? Path.GetFileNameWithoutExtension(paths[^1]),
            VolumeFileContents = contents,
        });
    }

    /// <summary>The files under a directory of the repository at a revision; null when the directory is outside the repository.</summary>
    private async Task<IReadOnlyDictionary<string, string>?> FilesAtAsync(string commit, string dir, CancellationToken ct)
    {
        var relative = Path.GetRelativePath(Repo, Path.GetFullPath(dir)).Replace('\\', '/');
        if (relative.StartsWith("..", StringComparison.Ordinal) || Path.IsPathRooted(relative))
        {
            return null;
        }
        var (code, list, err) = await RunAsync(["ls-tree", "-r", "--name-only", "--full-name", commit, "--", $"./{relative}/"], ct);
        if (code != 0)
        {
            throw new HarnessException($"git ls-tree {relative} at {commit[..12]} failed: {err.Trim()}", "check the --volume-files folder");
        }
        // ls-tree names files from the top of the repository; --repo may be a folder inside it.
        var prefix = (await RunAsync(["rev-parse", "--show-prefix"], ct)).Output.Trim() + relative.TrimEnd('/') + "/";
        var files = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var path in list.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var (showCode, content, _) = await RunAsync(["show", $"{commit}:{path}"], ct);
            if (showCode == 0)
            {
                files[path.StartsWith(prefix, StringComparison.Ordinal) ? path[prefix.Length..] : path] = content;
            }
        }
        return files;
    }

    private static GitCommit Parse(string line)
    {
        var parts = line.Split('\x1f');
        return new GitCommit(parts[0], parts[1], DateTimeOffset.Parse(parts[2], CultureInfo.InvariantCulture));
    }

    private async Task<(int Code, string Output, string Error)> RunAsync(IReadOnlyList<string> args, CancellationToken ct)
    {
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(ct);
        cts.CancelAfter(Deadline.Of(30));
        try
        {
            // GIT_OPTIONAL_LOCKS=0: reading never takes the index lock of the caller's checkout.
            var r = await Cli.Wrap("git").WithArguments(["-C", Repo, "-c", "core.quotepath=off", .. args])
                .WithEnvironmentVariables(e => e.Set("GIT_OPTIONAL_LOCKS", "0").Set("LC_ALL", "C"))
                .WithValidation(CommandResultValidation.None)
                .ExecuteBufferedAsync(cts.Token);
            return (r.ExitCode, r.StandardOutput, r.StandardError);
        }
        catch (System.ComponentModel.Win32Exception)
        {
            throw new MissingPrerequisiteException("git is not installed", "sudo apt-get install -y git");
        }
    }
}
