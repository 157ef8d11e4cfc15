namespace KernelRegression.Deployments;

/// <summary>
/// The configurable traits of KubeSpawner (and the JupyterHub Spawner it extends) and the types their
/// values must have, as traitlets validates them on assignment: a kubespawner_override or a
/// hub.config value of another type fails the spawn or the hub. Derived by hand from the trait
/// definitions with config=True in jupyterhub/kubespawner kubespawner/spawner.py at 6.2.0 and 7.0.0
/// and jupyterhub/jupyterhub jupyterhub/spawner.py (class Spawner) at 4.1.6 and 5.3.0; "7:" marks a
/// trait or type that is new in KubeSpawner 7 (lists that may also be dicts).
/// </summary>
internal static class KubeSpawnerTraits
{
    // name type. Types: str int float bool bytes dict list cmd callable; a|b = either; list|7:dict = a dict too from KubeSpawner 7.
    private const string Table = """
        additional_profile_form_template_paths list
        after_pod_created_hook callable
        allow_privilege_escalation bool
        apply_user_options dict|callable
        args list
        auth_state_hook callable
        automount_service_account_token bool
        cmd cmd
        common_labels dict
        component_label str
        consecutive_failure_limit int
        container_security_context dict|callable
        cpu_guarantee float
        cpu_limit float
        debug bool
        default_url str
        delete_grace_period int
        delete_pvc bool
        delete_stopped_pods bool
        disable_user_config bool
        dns_name_template str
        enable_user_namespaces bool
        env_keep list
        environment dict
        events_enabled bool
        extra_annotations dict
        extra_container_config dict
        extra_containers list|7:dict
        extra_labels dict
        extra_pod_config dict
        extra_resource_guarantees dict
        extra_resource_limits dict
        fs_gid int|callable
        get_pod_url callable
        gid int|callable
        group_overrides dict|callable
        handle_legacy_names 7:bool
        http_timeout int
        hub_connect_ip str
        hub_connect_port int
        hub_connect_url str
        image str
        image_pull_policy str
        image_pull_secrets list|str
        init_containers list|7:dict
        ip str
        k8s_api_host str
        k8s_api_request_retry_timeout int
        k8s_api_request_timeout int
        k8s_api_ssl_ca_cert str
        k8s_api_threadpool_workers int
        k8s_api_verify_ssl bool
        lifecycle_hooks dict
        mem_guarantee bytes
        mem_limit bytes
        modify_pod_hook callable
        namespace str
        node_affinity_preferred list|7:dict
        node_affinity_required list|7:dict
        node_selector dict
        notebook_dir str
        oauth_client_allowed_scopes list|callable
        oauth_roles list|callable
        options_form str|callable
        options_from_form callable
        pod_affinity_preferred list|7:dict
        pod_affinity_required list|7:dict
        pod_anti_affinity_preferred list|7:dict
        pod_anti_affinity_required list|7:dict
        pod_connect_ip str
        pod_name_template str
        pod_security_context dict|callable
        poll_interval int
        poll_jitter float
        port int
        post_stop_hook callable
        pre_spawn_hook callable
        priority_class_name str
        privileged bool
        profile_form_template str
        profile_list list|callable
        progress_ready_hook callable
        pvc_name_template str
        remember_pvc_name 7:bool
        scheduler_name str
        secret_mount_path str
        secret_name_template str
        server_token_scopes list|callable
        service_account str
        services_enabled bool
        slug_scheme 7:str
        ssl_alt_names list
        ssl_alt_names_include_local bool
        start_timeout int
        storage_access_modes list
        storage_capacity str
        storage_class str
        storage_extra_annotations dict
        storage_extra_labels dict
        storage_pvc_ensure bool
        storage_selector dict
        supplemental_gids list|callable
        tolerations list|7:dict
        uid int|callable
        user_namespace_annotations dict
        user_namespace_labels dict
        user_namespace_template str
        volume_mounts list|7:dict
        volumes list|7:dict
        working_dir str
        """;

    /// <summary>Old names KubeSpawner still accepts in config (spawner.py _deprecated_traits): singleuser_X → X (0.9), image_spec → image (0.10).</summary>
    private static readonly Dictionary<string, string> Deprecated = new(StringComparer.Ordinal)
    {
        ["image_spec"] = "image", ["singleuser_working_dir"] = "working_dir", ["singleuser_service_account"] = "service_account",
        ["singleuser_extra_labels"] = "extra_labels", ["singleuser_extra_annotations"] = "extra_annotations",
        ["singleuser_image_spec"] = "image_spec", ["singleuser_image_pull_policy"] = "image_pull_policy",
        ["singleuser_image_pull_secrets"] = "image_pull_secrets", ["singleuser_node_selector"] = "node_selector",
        ["singleuser_uid"] = "uid", ["singleuser_fs_gid"] = "fs_gid", ["singleuser_supplemental_gids"] = "supplemental_gids",
        ["singleuser_privileged"] = "privileged", ["singleuser_extra_pod_config"] = "extra_pod_config",
        ["singleuser_init_containers"] = "init_containers", ["singleuser_extra_container_config"] = "extra_container_config",
        ["singleuser_extra_containers"] = "extra_containers", ["user_storage_class"] = "storage_class",
        ["user_storage_pvc_ensure"] = "storage_pvc_ensure", ["user_storage_capacity"] = "storage_capacity",
        ["user_storage_extra_labels"] = "storage_extra_labels", ["user_storage_access_modes"] = "storage_access_modes",
    };

    private static readonly Dictionary<string, string> Types = Table
        .Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
        .ToDictionary(l => l[..l.IndexOf(' ', StringComparison.Ordinal)], l => l[(l.IndexOf(' ', StringComparison.Ordinal) + 1)..], StringComparer.Ordinal);

    public static IEnumerable<string> Names => Types.Keys;

    /// <summary>The trait a name sets (deprecated names followed), or null when KubeSpawner has no such trait.</summary>
    public static string? Canonical(string name, KubeSpawnerVersion version)
    {
        while (Deprecated.TryGetValue(name, out var next))
        {
            name = next;
        }
        if (!Types.TryGetValue(name, out var type))
        {
            return null;
        }
        return type.StartsWith("7:", StringComparison.Ordinal) && version.Major is > 0 and < 7 ? null : name;
    }

    /// <summary>Null when the value fits the trait; else what the trait takes ("a list of strings or a string", …).</summary>
    public static string? Mismatch(string trait, object? value, KubeSpawnerVersion version)
    {
        if (value is null)
        {
            return null; // traits the chart or an override may reset take None (cmd, uid, working_dir, …)
        }
        var kinds = Types[trait].Split('|')
            .Where(k => !k.StartsWith("7:", StringComparison.Ordinal) || version.Major is 0 or >= 7)
            .Select(k => k.StartsWith("7:", StringComparison.Ordinal) ? k[2..] : k)
            .ToList();
        var ok = kinds.Any(k => k switch
        {
            "str" => value is string,
            "int" => value is long,
            "float" => value is long or double,
            "bool" => value is bool || value is long and (0 or 1),
            "bytes" => value is long or double || (value is string s && ByteSize.TryParse(s, out _)),
            "dict" => value is OrderedDictionary<string, object?>,
            "list" => value is List<object?>,
            "cmd" => value is string || (value is List<object?> l && l.All(x => x is string)),
            _ => false, // callable: Python only
        });
        return ok ? null : string.Join(" or ", kinds.Select(k => k switch
        {
            "str" => "a string",
            "int" => "an integer",
            "float" => "a number",
            "bool" => "true or false",
            "bytes" => "a size (bytes, or a number with K, M, G or T: 512M, 1G)",
            "dict" => "a map",
            "list" => "a list",
            "cmd" => "a list of strings or one string",
            _ => "a Python callable (only in hub.extraConfig)",
        }));
    }
}
