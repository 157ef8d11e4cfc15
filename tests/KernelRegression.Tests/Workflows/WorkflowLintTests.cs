using System.Text.RegularExpressions;
using YamlDotNet.RepresentationModel;

namespace KernelRegression.Tests.Workflows;

/// <summary>
/// CI that cannot lie: a `run:` step whose script pipes (`cmd | tee log`) takes the exit code of the
/// last command unless pipefail is on, so a failing test run goes green. GitHub runs `shell: bash` as
/// `bash --noprofile --norc -eo pipefail {0}`, but its default (no shell given) as `bash -e {0}`,
/// without pipefail. Every step with a pipe must have `shell: bash` (on the step, or as
/// defaults.run.shell of its job or workflow) or set pipefail itself before its first pipe.
/// </summary>
public sealed partial class WorkflowLintTests
{
    [Fact]
    public void EveryPipedStepOfEveryWorkflowRunsWithPipefail()
    {
        // Given the repository's workflows (all of them, so a new one is checked too)
        var files = Directory.GetFiles(Path.Combine(Repository.Root, ".github", "workflows"), "*.yml");
        files.Select(Path.GetFileName).Should().Contain(["ci.yml", "matrix.yml", "kubernetes.yml"], "the lint must see the workflows it exists for");

        // When each is linted
        var violations = files.SelectMany(f => WorkflowLint.Check(File.ReadAllText(f), Path.GetFileName(f))).ToList();

        // Then no piped step can hide a failure
        violations.Should().BeEmpty();
    }

    [Fact]
    public void TheOldKubernetesWorkflowIsCaught()
    {
        // The workflow as it was before the lint: `dotnet test … | tee`, `curl … | tar` and `kind get clusters | grep` under the default shell.
        var violations = WorkflowLint.Check(OldKubernetesWorkflow, "kubernetes.yml (before the lint)");

        violations.Should().HaveCount(3);
        violations.Should().Contain(v => v.Contains("Cluster evidence on failure", StringComparison.Ordinal));
        violations.Should().Contain(v => v.Contains("Test the cell", StringComparison.Ordinal) && v.Contains("| tee artifacts/test.log", StringComparison.Ordinal));
        violations.Should().Contain(v => v.Contains("Install helm", StringComparison.Ordinal) && v.Contains("| tar -xz", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("step", true)]
    [InlineData("job", true)]
    [InlineData("workflow", true)]
    [InlineData("none", false)]
    public void ShellBashAtAnyLevelCoversAPipe(string level, bool ok)
    {
        var yaml = $$"""
            name: t
            {{(level == "workflow" ? "defaults:\n  run:\n    shell: bash\n" : "")}}on: push
            jobs:
              j:
                runs-on: ubuntu-24.04
            {{(level == "job" ? "    defaults:\n      run:\n        shell: bash\n" : "")}}    steps:
                  - name: piped
            {{(level == "step" ? "        shell: bash\n" : "")}}        run: make test | tee log
            """;

        WorkflowLint.Check(yaml, "t.yml").Should().HaveCount(ok ? 0 : 1);
    }

    [Theory]
    [InlineData("set -euo pipefail\nmake | tee log", true)]
    [InlineData("set -o pipefail\nmake | tee log", true)]
    [InlineData("make | tee log\nset -o pipefail", false)]
    [InlineData("make || echo failed", true)]
    [InlineData("echo 'a | b' \"c | d\"  # e | f", true)]
    [InlineData("python3 - <<'PY'\nprint('a' if x | y else 'b')\nPY\necho done", true)]
    [InlineData("cat <<EOF\nx | y\nEOF\nls | wc -l", false)]
    [InlineData("test \"${{ github.event_name || 'push' }}\" = push", true)]
    [InlineData("make |& tee log", false)]
    public void APipeIsAnUnquotedBarOutsideCommentsHeredocsAndExpressions(string script, bool ok)
    {
        var yaml = "on: push\njobs:\n  j:\n    runs-on: x\n    steps:\n      - run: |\n" + string.Join('\n', script.Split('\n').Select(l => "          " + l)) + "\n";

        WorkflowLint.Check(yaml, "t.yml").Should().HaveCount(ok ? 0 : 1, script);
    }

    [Fact]
    public void AShellOtherThanBashDoesNotCoverAPipe() =>
        WorkflowLint.Check("on: push\njobs:\n  j:\n    runs-on: x\n    steps:\n      - shell: sh\n        run: a | b\n", "t.yml").Should().ContainSingle();

    /// <summary>The steps of .github/workflows/kubernetes.yml before the lint (commit 27c2663), verbatim.</summary>
    private const string OldKubernetesWorkflow = """
        name: kubernetes
        on:
          workflow_dispatch:
        jobs:
          cell:
            runs-on: ubuntu-24.04
            steps:
              - uses: actions/checkout@v4

              - uses: actions/setup-dotnet@v4
                with:
                  global-json-file: global.json

              - name: Install kind
                run: |
                  curl -fsSLo kind "https://kind.sigs.k8s.io/dl/${KIND_VERSION}/kind-linux-amd64"
                  sudo install -m 0755 kind /usr/local/bin/kind
                  kind version

              - name: Install helm
                run: |
                  curl -fsSL "https://get.helm.sh/helm-${HELM_VERSION}-linux-amd64.tar.gz" | tar -xz linux-amd64/helm
                  sudo install -m 0755 linux-amd64/helm /usr/local/bin/helm
                  helm version --short

              - name: Test the cell
                run: |
                  mkdir -p artifacts
                  dotnet test --project tests/KernelRegression.Kubernetes.Tests \
                    --report-xunit-trx --results-directory "$PWD/artifacts/test-results" 2>&1 | tee artifacts/test.log

              - name: Plan and report
                if: always()
                run: |
                  {
                    echo "## ${KR_CELLS}"
                    echo
                    echo '```'
                    grep -E "^(  )?(total|failed|succeeded|skipped):|^(failed|skipped) " artifacts/test.log || echo "(no test summary: see the job log)"
                    echo '```'
                    for f in artifacts/runs/*/report.md; do [ -f "$f" ] && cat "$f"; done
                  } >> "$GITHUB_STEP_SUMMARY"

              - name: Cluster evidence on failure
                if: failure()
                run: |
                  for c in $(kind get clusters | grep '^kr-' || true); do
                    kind export logs "artifacts/kind-logs/$c" --name "$c" || true
                  done
        """;
}

/// <summary>Finds `run:` steps that pipe without pipefail.</summary>
public static partial class WorkflowLint
{
    /// <summary>One line per violation: file, job, step and the first piped line.</summary>
    public static IReadOnlyList<string> Check(string yaml, string file)
    {
        var stream = new YamlStream();
        stream.Load(new StringReader(yaml));
        var root = (YamlMappingNode)stream.Documents[0].RootNode;
        var violations = new List<string>();
        var workflowShell = DefaultShell(root);
        if (Child(root, "jobs") is not YamlMappingNode jobs)
        {
            return violations;
        }
        foreach (var (jobKey, jobNode) in jobs.Children)
        {
            if (jobNode is not YamlMappingNode job || Child(job, "steps") is not YamlSequenceNode steps)
            {
                continue;
            }
            var jobShell = DefaultShell(job) ?? workflowShell;
            var index = 0;
            foreach (var step in steps.Children.OfType<YamlMappingNode>())
            {
                index++;
                if (Child(step, "run") is not YamlScalarNode { Value: { } script })
                {
                    continue;
                }
                var shell = (Child(step, "shell") as YamlScalarNode)?.Value ?? jobShell;
                var name = (Child(step, "name") as YamlScalarNode)?.Value ?? $"step {index}";
                if (shell != "bash" && FirstUnguardedPipe(script) is { } line)
                {
                    violations.Add($"{file}: job {jobKey}, step '{name}': a pipe without pipefail ({(shell is null ? "default shell, bash -e" : "shell " + shell)}): {line.Trim()}");
                }
            }
        }
        return violations;
    }

    /// <summary>The first line with a pipe that runs before any `set -o pipefail` (null when there is none).</summary>
    public static string? FirstUnguardedPipe(string script)
    {
        string? heredocEnd = null;
        foreach (var raw in script.Split('\n'))
        {
            if (heredocEnd is not null)
            {
                if (raw.Trim() == heredocEnd)
                {
                    heredocEnd = null;
                }
                continue;
            }
            var code = Code(raw);
            if (Pipefail().IsMatch(code))
            {
                return null;
            }
            if (Pipe().IsMatch(code))
            {
                return raw;
            }
            if (Heredoc().Match(raw) is { Success: true } h)
            {
                heredocEnd = h.Groups["tag"].Value;
            }
        }
        return null;
    }

    /// <summary>A line without its quoted strings, ${{ }} expressions and comment.</summary>
    private static string Code(string line)
    {
        var noExpressions = Expression().Replace(line, "");
        var sb = new System.Text.StringBuilder();
        char? quote = null;
        for (var i = 0; i < noExpressions.Length; i++)
        {
            var c = noExpressions[i];
            if (quote is not null)
            {
                if (c == '\\' && quote == '"')
                {
                    i++;
                }
                else if (c == quote)
                {
                    quote = null;
                }
                continue;
            }
            if (c is '\'' or '"')
            {
                quote = c;
                continue;
            }
            if (c == '#' && (i == 0 || char.IsWhiteSpace(noExpressions[i - 1])))
            {
                break;
            }
            sb.Append(c);
        }
        return sb.ToString();
    }

    private static string? DefaultShell(YamlMappingNode node) =>
        (Child(Child(Child(node, "defaults") as YamlMappingNode, "run") as YamlMappingNode, "shell") as YamlScalarNode)?.Value;

    private static YamlNode? Child(YamlMappingNode? node, string key) =>
        node is not null && node.Children.TryGetValue(new YamlScalarNode(key), out var v) ? v : null;

    // A single bar that is not part of "||" (|& is a pipe of stdout and stderr, so it counts).
    [GeneratedRegex(@"(?<!\|)\|(?!\|)")]
    private static partial Regex Pipe();

    [GeneratedRegex(@"\bset\s+(-[a-zA-Z]*o\s+pipefail|-o\s+pipefail|-[a-zA-Z]+\s+-o\s+pipefail)")]
    private static partial Regex Pipefail();

    [GeneratedRegex(@"<<-?\s*['""]?(?<tag>[A-Za-z_][A-Za-z0-9_]*)['""]?")]
    private static partial Regex Heredoc();

    [GeneratedRegex(@"\$\{\{.*?\}\}")]
    private static partial Regex Expression();
}
