using CliWrap;
using CliWrap.Buffered;

namespace KernelRegression.Bisect;

/// <summary>
/// A deployment repository's history of one launch profile file: commits in order (a range A..B is
/// expanded to A and every commit after it up to B, oldest first) and the file at each commit.
/// </summary>
public sealed class GitProfileHistory(string repo, string profilePath)
{
    public string Repo { get; } = repo;
    public string ProfilePath { get; } = profilePath;

    /// <summary>Expands the values (commit-ish, or one range OLD..NEW) to full commit ids with subjects, oldest first.</summary>
    public async Task<IReadOnlyList<(string Commit, string Subject)>> CommitsAsync(IReadOnlyList<string> values, CancellationToken ct)
    {
        if (!Directory.Exists(Repo))
        {
            throw new HarnessException($"--git-repo {Repo} is not a directory", "pass the deployment repository's checkout");
        }
        var ids = new List<string>();
        foreach (var v in values)
        {
            if (v.Contains("..", StringComparison.Ordinal))
            {
                var parts = v.Split("..", 2);
                ids.Add(await RevParseAsync(parts[0], ct));
                var range = await GitAsync(["rev-list", "--reverse", "--first-parent", v], ct);
                ids.AddRange(range.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
            }
            else
            {
                ids.Add(await RevParseAsync(v, ct));
            }
        }
        var result = new List<(string, string)>();
        foreach (var id in ids)
        {
            result.Add((id, (await GitAsync(["log", "-1", "--format=%s", id], ct)).Trim()));
        }
        return result;
    }

    /// <summary>The profile file's text at a commit.</summary>
    public async Task<string> ShowAsync(string commit, CancellationToken ct)
    {
        try
        {
            return await GitAsync(["show", $"{commit}:{ProfilePath}"], ct);
        }
        catch (HarnessException e)
        {
            throw new HarnessException($"commit {commit[..Math.Min(10, commit.Length)]} has no {ProfilePath}: {e.What}",
                "pass --profile-path as the file's path inside the repository, and commits where it exists");
        }
    }

    private async Task<string> RevParseAsync(string rev, CancellationToken ct)
    {
        try
        {
            return (await GitAsync(["rev-parse", "--verify", "--quiet", rev + "^{commit}"], ct)).Trim();
        }
        catch (HarnessException)
        {
            throw new HarnessException($"unknown commit '{rev}' in {Repo}", "use commit ids, tags or branch names that `git log` in the repository shows");
        }
    }

    private async Task<string> GitAsync(IReadOnlyList<string> args, CancellationToken ct)
    {
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(ct);
        cts.CancelAfter(Deadline.Of(30));
        BufferedCommandResult r;
        try
        {
            r = await Cli.Wrap("git").WithArguments(["-C", Repo, .. args]).WithValidation(CommandResultValidation.None)
                .ExecuteBufferedAsync(cts.Token);
        }
        catch (System.ComponentModel.Win32Exception)
        {
            throw new MissingPrerequisiteException("git is not installed", "sudo apt-get install -y git");
        }
        if (r.ExitCode != 0)
        {
            throw new HarnessException($"git {string.Join(' ', args)} failed in {Repo}: {r.StandardError.Trim()}", "check the repository and the commit");
        }
        return r.StandardOutput;
    }
}
