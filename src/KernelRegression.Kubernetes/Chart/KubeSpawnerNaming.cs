namespace KernelRegression.Kubernetes.Chart;

/// <summary>
/// How one KubeSpawner version names and labels a user's pod (default templates, which the rendered
/// chart values keep). KubeSpawner 6.2.0: label values and pod name from the legacy escape, pod
/// template <c>jupyter-{username}--{servername}</c>. KubeSpawner 7.0.0 (slug_scheme 'safe', the
/// default): label values are safe slugs under label rules, the pod name <c>jupyter-{user_server}</c>
/// from safe slugs under object-name rules. A user "student-1a2b" is labelled student-2d1a2b on 6.2.0
/// and student-1a2b on 7.0.0.
/// </summary>
public abstract class KubeSpawnerNaming
{
    public const string ComponentLabel = "component=singleuser-server";

    private protected KubeSpawnerNaming(string version) => Version = version;

    /// <summary>The KubeSpawner version this naming was chosen for.</summary>
    public string Version { get; }

    /// <summary>The naming of a KubeSpawner version: 7 and later the safe scheme, earlier the escape scheme.</summary>
    public static KubeSpawnerNaming For(string? kubeSpawnerVersion)
    {
        var major = int.TryParse((kubeSpawnerVersion ?? "").Split('.')[0], out var m) ? m : 0;
        if (major == 0)
        {
            throw new HarnessException($"KubeSpawner version '{kubeSpawnerVersion}' is not a version",
                "give the hub a kubespawner version in fixtures/matrix.yaml (e.g. kubespawner: 7.0.0), or use a chart listed in ChartSpec.Known");
        }
        return major >= 7 ? new SafeNaming(kubeSpawnerVersion!) : new EscapeNaming(kubeSpawnerVersion!);
    }

    /// <summary>The value of the pod's hub.jupyter.org/username label.</summary>
    public abstract string UsernameLabel(string user);

    /// <summary>The value of the pod's hub.jupyter.org/servername label ("" for the default server).</summary>
    public abstract string ServernameLabel(string serverName);

    /// <summary>The pod's name under the version's default pod_name_template.</summary>
    public abstract string PodName(string user, string serverName);

    /// <summary>Selects exactly this user's pod for this server (the default server's servername label is empty).</summary>
    public string Selector(string user, string serverName) =>
        $"{ComponentLabel},hub.jupyter.org/username={UsernameLabel(user)},hub.jupyter.org/servername={ServernameLabel(serverName)}";

    /// <summary>KubeSpawner strips '-' left at the end when the server name is empty (but not one the template itself ends with).</summary>
    private protected static string Render(string template, Func<string, string> fill) =>
        template.EndsWith('-') ? fill(template) : fill(template).TrimEnd('-');

    private sealed class EscapeNaming(string version) : KubeSpawnerNaming(version)
    {
        public override string UsernameLabel(string user) => KubeSpawnerSlugs.EscapeSlug(user);

        public override string ServernameLabel(string serverName) => KubeSpawnerSlugs.EscapeSlug(serverName);

        public override string PodName(string user, string serverName) =>
            Render("jupyter-{username}--{servername}", t => t
                .Replace("{username}", KubeSpawnerSlugs.EscapeSlug(user), StringComparison.Ordinal)
                .Replace("{servername}", KubeSpawnerSlugs.EscapeSlug(serverName), StringComparison.Ordinal));
    }

    private sealed class SafeNaming(string version) : KubeSpawnerNaming(version)
    {
        // KubeSpawner 7's per-field budget, so that {user_server} fits a 63-character label.
        private const int SlugMaxLength = 48;

        public override string UsernameLabel(string user) => KubeSpawnerSlugs.SafeSlug(user, KubeSpawnerSlugs.IsValidLabel);

        public override string ServernameLabel(string serverName) => KubeSpawnerSlugs.SafeSlug(serverName, KubeSpawnerSlugs.IsValidLabel);

        public override string PodName(string user, string serverName) =>
            Render("jupyter-{user_server}", t => t.Replace("{user_server}", UserServer(user, serverName), StringComparison.Ordinal));

        private static string UserServer(string user, string serverName)
        {
            var safeUser = KubeSpawnerSlugs.SafeSlug(user, maxLength: SlugMaxLength);
            var safeServer = serverName.Length == 0 ? "" : KubeSpawnerSlugs.SafeSlug(serverName, maxLength: SlugMaxLength);
            if (safeUser.Length + safeServer.Length + 2 > SlugMaxLength)
            {
                return KubeSpawnerSlugs.MultiSlug([user, serverName], SlugMaxLength);
            }
            return serverName.Length == 0 ? safeUser : $"{safeUser}--{safeServer}";
        }
    }
}
