using KernelRegression.Checks;

namespace KernelRegression.Evidence.Diagnosis;

/// <summary>
/// The "facts" evidence of a cell: one <c>key=value</c> per line (tier=docker, proc.server.pid=1,
/// versions.ipykernel=6.17.0, …), as the tiers collect them. Order is kept because it is the order
/// the tier found things in, which is also the order a reader expects them back.
/// </summary>
public static class Facts
{
    public const string EvidenceKey = "facts";

    /// <summary>
    /// Parses key=value lines. The value is everything after the first '=' (a command line has its
    /// own '='); blank lines, '#' comments and lines without '=' are ignored; a repeated key keeps
    /// the last value (a tier that looked again knows better). An empty value is a value: "exit
    /// code is empty" (still running) is not the same as "exit code was not collected".
    /// </summary>
    public static OrderedDictionary<string, string> Parse(string? text)
    {
        var facts = new OrderedDictionary<string, string>(StringComparer.Ordinal);
        foreach (var raw in (text ?? "").Split('\n'))
        {
            var line = raw.Trim();
            var eq = line.IndexOf('=', StringComparison.Ordinal);
            if (line.Length == 0 || line[0] == '#' || eq <= 0)
            {
                continue;
            }
            facts[line[..eq].Trim()] = line[(eq + 1)..].Trim();
        }
        return facts;
    }

    /// <summary>
    /// A cell's facts, with the "environment" text's variables added as env.NAME where the facts do
    /// not already carry them (tiers may list the full environment only there).
    /// </summary>
    public static OrderedDictionary<string, string> Of(CellResult cell)
    {
        var facts = Parse(cell.Evidence.GetValueOrDefault(EvidenceKey));
        foreach (var (name, value) in Parse(cell.Evidence.GetValueOrDefault("environment")))
        {
            facts.TryAdd("env." + name, value);
        }
        return facts;
    }
}
