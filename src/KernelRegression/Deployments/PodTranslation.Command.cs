using System.Globalization;
using System.Text.RegularExpressions;

namespace KernelRegression.Deployments;

/// <summary>What a spawn's traits become on Docker: the command and args the server starts with, as KubeSpawner forms them.</summary>
internal sealed partial class PodTranslation
{
    private (List<string>? Command, List<string>? Args) Command()
    {
        var cmdSource = _s.SourceOf("cmd");
        var cmd = _s["cmd"] switch
        {
            null => null,
            string one => [one], // a string is one argv item, not split (JupyterHub's Command trait)
            List<object?> l => l.Select(ValuesTree.Scalar).ToList(),
            var other => throw new ValuesException($"{cmdSource} is {ValuesTree.Describe(other)}", "write cmd as a list of strings, or one string"),
        };
        var args = ValuesTree.AsList(_s["args"])?.Select(ValuesTree.Scalar).ToList() ?? [];
        if (cmd is not { Count: > 0 })
        {
            if (args.Count > 0)
            {
                NotApply(_s.SourceOf("args"), "KubeSpawner ignores args when cmd is not set: the image's own CMD runs (kubespawner#533)");
            }
            return (null, null);
        }
        var real = cmd.Concat(args).ToList();
        var source = args.Count > 0 ? $"{cmdSource} + {_s.SourceOf("args")}" : cmdSource;
        if (_ctx.KubeSpawner.CmdIsCommand)
        {
            _sources["command"] = $"{source} ({_ctx.KubeSpawner})";
            return (real, null);
        }
        _sources["args"] = source;
        return (null, real);
    }
}
