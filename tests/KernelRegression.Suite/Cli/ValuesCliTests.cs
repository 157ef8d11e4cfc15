namespace KernelRegression.Suite.Cli;

/// <summary>
/// kr's options that say how to read an operator's values: the chart version (its defaults, schema and
/// KubeSpawner together) and a parent chart's own values layered under its key. Each shown on a values
/// file that only the right reading refuses (exit 2 before anything runs, naming the key).
/// </summary>
public sealed class ValuesCliTests : IDisposable
{
    private readonly DirectoryInfo _dir = Directory.CreateTempSubdirectory("kr-values-cli-");
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private string Write(string name, string text)
    {
        var path = Path.Combine(_dir.FullName, name);
        File.WriteAllText(path, text);
        return path;
    }

    public void Dispose() => _dir.Delete(recursive: true);

    [Fact]
    public async Task ChartChoosesTheKubeSpawnerItPins()
    {
        var values = Write("values.yaml", "singleuser:\n  image: {name: example.org/nb, tag: \"1\"}\n  extraEnv: {WHO: \"{safe_username}\"}\n");

        var (exit, output) = await KrProcess.RunAsync(Ct, "run", "--values", values, "--chart", "3.3.8");

        exit.Should().Be(2, output);
        output.Should().Contain("singleuser.extraEnv.WHO").And.Contain("{safe_username}").And.Contain("KubeSpawner 6.2.0");
    }

    [Fact]
    public async Task AParentChartsOwnValuesAreLayeredUnderItsKey()
    {
        var parent = Write("basehub-values.yaml", "jupyterhub:\n  singleuser:\n    image: {name: example.org/nb, tag: \"1\"}\n    extraEnvv: {A: b}\n");
        var values = Write("values.yaml", "basehub:\n  jupyterhub:\n    singleuser:\n      memory: {limit: 2G}\n");

        var (exit, output) = await KrProcess.RunAsync(Ct, "run", "--values", values, "--chart-values", "basehub=" + parent);

        exit.Should().Be(2, output);
        output.Should().Contain("basehub.jupyterhub.singleuser.extraEnvv").And.Contain("basehub-values.yaml:4:5").And.Contain("did you mean 'extraEnv'?");
    }
}
