using System.Globalization;
using System.Text.RegularExpressions;

namespace KernelRegression.Deployments;

/// <summary>What a spawn's traits become on Docker: the user, groups, capabilities and privileges the pod runs with.</summary>
internal sealed partial class PodTranslation
{
    private readonly Dictionary<string, string> _cscSources = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string> _pscSources = new(StringComparer.Ordinal);

    private void Source(string field, string? source)
    {
        if (source is not null)
        {
            _sources[field] = source;
        }
    }

    private OrderedDictionary<string, object?> ContainerSecurityContext()
    {
        var csc = ValuesTree.NewMap();
        void Put(string field, object? value, string source)
        {
            csc[field] = value;
            _cscSources[field] = source;
        }
        if (Int(_s["uid"]) is { } uid)
        {
            Put("runAsUser", (long)uid, _s.SourceOf("uid"));
        }
        if (Int(_s["gid"]) is { } gid)
        {
            Put("runAsGroup", (long)gid, _s.SourceOf("gid"));
        }
        if (_s["privileged"] is true)
        {
            Put("privileged", true, _s.SourceOf("privileged"));
        }
        if (_s["allow_privilege_escalation"] is bool ape)
        {
            Put("allowPrivilegeEscalation", ape, _s.SourceOf("allow_privilege_escalation"));
        }
        if (ValuesTree.AsMap(_s["container_security_context"]) is { } extra)
        {
            CamelCaseOnly(extra, _s.SourceOf("container_security_context"));
            foreach (var (k, v) in extra)
            {
                Put(k, v, _s.Get("container_security_context")!.SourceOf(k));
            }
        }
        return csc;
    }

    private OrderedDictionary<string, object?> PodSecurityContext()
    {
        var psc = ValuesTree.NewMap();
        if (Int(_s["fs_gid"]) is { } fs)
        {
            psc["fsGroup"] = (long)fs;
            _pscSources["fsGroup"] = _s.SourceOf("fs_gid");
        }
        if (ValuesTree.AsList(_s["supplemental_gids"]) is { Count: > 0 } groups)
        {
            psc["supplementalGroups"] = groups;
            _pscSources["supplementalGroups"] = _s.SourceOf("supplemental_gids");
        }
        if (ValuesTree.AsMap(_s["pod_security_context"]) is { } extra)
        {
            CamelCaseOnly(extra, _s.SourceOf("pod_security_context"));
            foreach (var (k, v) in extra)
            {
                psc[k] = v;
                _pscSources[k] = _s.Get("pod_security_context")!.SourceOf(k);
            }
        }
        return psc;
    }

    private static void CamelCaseOnly(OrderedDictionary<string, object?> context, string source)
    {
        var bad = context.Keys.FirstOrDefault(k => k.Contains('_', StringComparison.Ordinal));
        if (bad is not null)
        {
            throw new ValuesException($"{source}.{bad}: security context keys are Kubernetes camelCase names; KubeSpawner fails the spawn on '{bad}'",
                $"write {Camel(bad)}");
        }
    }
}
