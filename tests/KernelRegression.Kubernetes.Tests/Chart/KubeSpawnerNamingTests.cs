using KernelRegression.Kubernetes.Pods;
using KernelRegression.Kubernetes.Chart;

namespace KernelRegression.Kubernetes.Tests.Chart;

/// <summary>
/// The label values and pod names each KubeSpawner version gives a user. Every expected value was
/// computed by the upstream code itself: kubespawner/slugs.py at tag 7.0.0 and KubeSpawner 6.2.0's
/// escaping (escapism.escape(name, safe=a-z0-9, escape_char='-').lower() and the template
/// 'jupyter-{username}--{servername}' with trailing '-' stripped), run with Debian's python3-escapism
/// 1.0.1 (the escapism KubeSpawner 6.2.0 and 7.0.0 import).
/// </summary>
public sealed class KubeSpawnerNamingTests
{
    [Theory]
    // KubeSpawner version, user, server, username label, servername label, pod name
    // KubeSpawner 6 escapes every character outside lowercase letters and digits
    [InlineData("6.2.0", "student-1a2b3c4d", "", "student-2d1a2b3c4d", "", "jupyter-student-2d1a2b3c4d")]
    [InlineData("6.2.0", "student-abc", "", "student-2dabc", "", "jupyter-student-2dabc")]
    [InlineData("6.2.0", "jo_ann", "", "jo-5fann", "", "jupyter-jo-5fann")]
    [InlineData("6.2.0", "Alice", "", "-41lice", "", "jupyter--41lice")]
    [InlineData("6.2.0", "user.name", "", "user-2ename", "", "jupyter-user-2ename")]
    [InlineData("6.2.0", "a--b", "", "a-2d-2db", "", "jupyter-a-2d-2db")]
    [InlineData("6.2.0", "1user", "", "1user", "", "jupyter-1user")]
    [InlineData("6.2.0", "élodie", "", "-c3-a9lodie", "", "jupyter--c3-a9lodie")]
    [InlineData("6.2.0", "student-1a2b3c4d", "lab-2", "student-2d1a2b3c4d", "lab-2d2", "jupyter-student-2d1a2b3c4d--lab-2d2")]
    [InlineData("6.2.0", "student-1a2b3c4d", "Named Server", "student-2d1a2b3c4d", "-4eamed-20-53erver", "jupyter-student-2d1a2b3c4d---4eamed-20-53erver")]
    // KubeSpawner 7 keeps valid names and hashes the rest
    [InlineData("7.0.0", "student-1a2b3c4d", "", "student-1a2b3c4d", "", "jupyter-student-1a2b3c4d")]
    [InlineData("7.0.0", "student-abc", "", "student-abc", "", "jupyter-student-abc")]
    [InlineData("7.0.0", "jo_ann", "", "jo_ann", "", "jupyter-jo-ann---5efe953d")]
    [InlineData("7.0.0", "Alice", "", "Alice", "", "jupyter-alice---3bc51062")]
    [InlineData("7.0.0", "user.name", "", "user.name", "", "jupyter-user-name---c69f268f")]
    [InlineData("7.0.0", "a--b", "", "a-b---90827a2e", "", "jupyter-a-b---90827a2e")]
    [InlineData("7.0.0", "1user", "", "1user", "", "jupyter-x-1user---b5732d84")]
    [InlineData("7.0.0", "élodie", "", "lodie---36bac263", "", "jupyter-lodie---36bac263")]
    [InlineData("7.0.0", "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx", "", "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx", "", "jupyter-xxxxxxxxxxxxxxxxx--x---fb2abac5")]
    [InlineData("7.0.0", "student-1a2b3c4d", "lab-2", "student-1a2b3c4d", "lab-2", "jupyter-student-1a2b3c4d--lab-2")]
    [InlineData("7.0.0", "student-1a2b3c4d", "Named Server", "student-1a2b3c4d", "named-server---10e11164", "jupyter-student-1a2b3c4d--named-server---10e11164")]
    public void KubeSpawnerNamesThePodAndLabelsAsItsVersionDoes(string version, string user, string server, string userLabel, string serverLabel, string pod)
    {
        var naming = KubeSpawnerNaming.For(version);

        naming.UsernameLabel(user).Should().Be(userLabel);
        naming.ServernameLabel(server).Should().Be(serverLabel);
        naming.PodName(user, server).Should().Be(pod);
    }

    [Fact]
    public void TheSelectorNamesTheComponentTheUserAndAnEmptyServerNameForTheDefaultServer()
    {
        KubeSpawnerNaming.For("6.2.0").Selector("student-1a2b3c4d", "").Should()
            .Be("component=singleuser-server,hub.jupyter.org/username=student-2d1a2b3c4d,hub.jupyter.org/servername=");
        KubeSpawnerNaming.For("7.0.0").Selector("student-1a2b3c4d", "lab-2").Should()
            .Be("component=singleuser-server,hub.jupyter.org/username=student-1a2b3c4d,hub.jupyter.org/servername=lab-2");
    }

    [Fact]
    public void EachKindHubOfTheMatrixGetsItsKubeSpawnersNaming()
    {
        var byHub = Cells.Matrix.Document.Hubs.Where(h => h.Value.Chart is not null)
            .ToDictionary(h => h.Key, h => KubeSpawnerNaming.For(Kubernetes.Chart.ChartSpec.From(Cells.Kind(h.Key)).EffectiveKubeSpawner).UsernameLabel("student-1a2b3c4d"));

        byHub.Should().Equal(new Dictionary<string, string>
        {
            ["z2jh-3"] = "student-2d1a2b3c4d",
            ["z2jh-4"] = "student-1a2b3c4d",
            ["z2jh-4-ks6"] = "student-2d1a2b3c4d",
        });
    }

    [Fact]
    public void AVersionThatIsNotOneIsRefusedNamingTheMatrixKey()
    {
        var act = () => KubeSpawnerNaming.For(null);

        act.Should().Throw<HarnessException>().Which.Fix.Should().Contain("kubespawner:");
    }
}
