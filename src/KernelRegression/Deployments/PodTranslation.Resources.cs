using System.Globalization;
using System.Text.RegularExpressions;
using KernelRegression.Matrix;

namespace KernelRegression.Deployments;

/// <summary>What a spawn's traits become on Docker: memory and CPU limits and guarantees.</summary>
internal sealed partial class PodTranslation
{
    private string? Bytes(string trait)
    {
        var value = _s[trait];
        if (value is null)
        {
            return null;
        }
        var bytes = ByteSize.Of(value) ?? throw new ValuesException(
            $"{_s.SourceOf(trait)} is {ValuesTree.Describe(value)}: not a size JupyterHub accepts (the hub fails: TraitError)",
            "write bytes, or a number with one of K, M, G, T (powers of 1024): 512M, 1G, 1.5G; not 1Gi or 500Mi");
        if (bytes == 0)
        {
            return null;
        }
        _sources[trait] = _s.SourceOf(trait);
        return bytes.ToString(CultureInfo.InvariantCulture);
    }

    private double? Cpus(string trait)
    {
        var value = _s[trait] switch
        {
            null => (double?)null,
            long l => l,
            double d => d,
            var other => throw new ValuesException($"{_s.SourceOf(trait)} is {ValuesTree.Describe(other)}; CPUs are a number (0.5, 2)", "write a number, not 500m"),
        };
        if (value is null or 0)
        {
            return null;
        }
        _sources[trait] = _s.SourceOf(trait);
        return value;
    }

    /// <summary>
    /// extra_container_config.resources: update_k8s_model sets the container's resources to this object,
    /// so the limits and requests of mem_limit, cpu_guarantee, … are gone; Kubernetes quantities (2Gi, 500m).
    /// </summary>
    private (string? MemLimit, string? MemGuarantee, double? CpuLimit, double? CpuGuarantee, string Source) Resources(object? value, string key)
    {
        var r = ValuesTree.AsMap(value) ?? ValuesTree.NewMap();
        foreach (var field in r.Keys.Where(k => k is not ("limits" or "requests")))
        {
            NotApply($"{key}.{field}", "a resources field the launch on docker does not carry");
        }
        string? Mem(string part) => ValuesTree.At(r, $"{part}.memory") is { } v ? Quantity.Bytes(v, $"{key}.{part}.memory") : null;
        double? Cpu(string part) => ValuesTree.At(r, $"{part}.cpu") is { } v ? Quantity.Cpus(v, $"{key}.{part}.cpu") : null;
        foreach (var part in new[] { "limits", "requests" })
        {
            foreach (var other in (ValuesTree.AsMap(r.GetValueOrDefault(part)) ?? []).Keys.Where(k => k is not ("cpu" or "memory")))
            {
                NotApply($"{key}.{part}.{other}", "extended resources (GPUs …) are not given to containers on docker");
            }
        }
        _notes.Add($"{key} replaces the container's whole resources (the limits and guarantees of memory and cpu settings are dropped; the hub still puts those in MEM_LIMIT …)");
        return (Mem("limits"), Mem("requests"), Cpu("limits"), Cpu("requests"), key);
    }

    /// <summary>The API refuses a pod whose container requests more cpu or memory than its limit.</summary>
    private void RequestsWithinLimits(HubLimits l, string? replacedBy)
    {
        string Key(string trait) => replacedBy ?? _s.SourceOf(trait);
        if (l is { MemLimit: { } ml, MemGuarantee: { } mg } && long.Parse(mg, CultureInfo.InvariantCulture) > long.Parse(ml, CultureInfo.InvariantCulture))
        {
            throw new ValuesException(
                $"{Key("mem_guarantee")} ({mg} bytes) is above {Key("mem_limit")} ({ml} bytes): the Kubernetes API refuses the pod (resources.requests: must be less than or equal to memory limit)",
                $"lower the guarantee to at most the limit, or raise the limit (the chart's default memory.guarantee is 1G)");
        }
        if (l is { CpuLimit: { } cl, CpuGuarantee: { } cg } && cg > cl)
        {
            throw new ValuesException(
                $"{Key("cpu_guarantee")} ({cg.ToString(CultureInfo.InvariantCulture)}) is above {Key("cpu_limit")} ({cl.ToString(CultureInfo.InvariantCulture)}): the Kubernetes API refuses the pod (resources.requests: must be less than or equal to cpu limit)",
                "lower the guarantee to at most the limit, or raise the limit");
        }
    }

    private Dictionary<string, string> Labels()
    {
        var labels = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (k, v) in ValuesTree.AsMap(_s["extra_labels"]) ?? [])
        {
            labels[k] = Template(ValuesTree.Scalar(v), _s.Get("extra_labels")!.SourceOf(k)) ?? "";
            _sources[$"labels.{k}"] = _s.Get("extra_labels")!.SourceOf(k);
        }
        return labels;
    }
}
